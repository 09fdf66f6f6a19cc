import Foundation
import Testing

/// Grafana/provisioning/: the data source the dashboards default to, and the file provider that
/// loads them from where Grafana/README.md says to copy them.
struct DashboardProvisioningTests {
    static let datasourceFile = DashboardRepository.provisioning.appendingPathComponent("datasources/vicidial-prometheus.yaml")
    static let providerFile = DashboardRepository.provisioning.appendingPathComponent("dashboards/vicidial.yaml")
    static let dashboardsPath = "/etc/grafana/dashboards/vicidial"

    /// `key: value` pairs of a simple YAML file (comments dropped, `- ` list marks ignored), in order.
    static func pairs(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "\n").compactMap { rawLine in
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            line = line.drop { $0 == " " }
            if line.hasPrefix("- ") { line = line.dropFirst(2) }
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return (key, value)
        }
    }

    static func value(_ key: String, in text: String) -> String? {
        pairs(text).first { $0.key == key }?.value
    }

    @Test func datasource() throws {
        let text = try DashboardRepository.text(of: Self.datasourceFile)
        #expect(!text.contains("\t"))
        #expect(Self.value("apiVersion", in: text) == "1")
        #expect(Self.value("type", in: text) == "prometheus")
        #expect(Self.value("uid", in: text) == "vicidial-prometheus")
        #expect(Self.value("url", in: text) == "http://localhost:9090")
        #expect(Self.value("access", in: text) == "proxy")
    }

    /// Each dashboard's `datasource` variable starts on the provisioned data source (Grafana falls
    /// back to the default Prometheus where it does not exist).
    @Test(arguments: DashboardRepository.dashboardNames)
    func dashboardsDefaultToTheProvisionedDatasource(_ name: String) throws {
        let provisioned = try DashboardRepository.text(of: Self.datasourceFile)
        let variable = try #require(try DashboardDocument(named: name).variable(named: "datasource"))
        let current = variable["current"] as? [String: Any]
        // Newer Grafanas match the uid, older ones the name.
        #expect(current?["value"] as? String == Self.value("uid", in: provisioned))
        #expect(current?["text"] as? String == Self.value("name", in: provisioned))
    }

    @Test func dashboardProvider() throws {
        let text = try DashboardRepository.text(of: Self.providerFile)
        #expect(!text.contains("\t"))
        #expect(Self.value("apiVersion", in: text) == "1")
        #expect(Self.value("type", in: text) == "file")
        #expect(Self.value("folder", in: text) == "VICIdial")
        #expect(Self.value("path", in: text) == Self.dashboardsPath)
        #expect(Self.value("foldersFromFilesStructure", in: text) == "false")
    }

    /// The README's copy commands put the files where the provisioning files expect them.
    @Test func readmeCopiesToTheProvisionedPaths() throws {
        let readme = try DashboardRepository.text(of: DashboardRepository.grafana.appendingPathComponent("README.md"))
        #expect(readme.contains("mkdir -p \(Self.dashboardsPath)"))
        #expect(readme.contains("cp Grafana/dashboards/*.json \(Self.dashboardsPath)/"))
        #expect(readme.contains("cp -r Grafana/provisioning /etc/grafana/"))
        for name in DashboardRepository.dashboardNames {
            #expect(readme.contains(name), "README does not mention \(name)")
        }
    }
}
