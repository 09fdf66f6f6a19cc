import Foundation

/// Where the repository's Grafana/ files are, found from this file's path.
enum DashboardRepository {
    /// The package root: Tests/GrafanaTests/<this file> is three levels down.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let grafana = root.appendingPathComponent("Grafana")
    static let dashboards = grafana.appendingPathComponent("dashboards")
    static let provisioning = grafana.appendingPathComponent("provisioning")

    /// The dashboards this repository ships, by file name without `.json`; each file's uid is its name.
    static let dashboardNames = ["vicidial-overview", "vicidial-agent", "vicidial-exporter-health"]

    /// The `.json` files actually present in Grafana/dashboards/, sorted.
    static func dashboardFilesPresent() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dashboards.path).filter { $0.hasSuffix(".json") }.sorted()
    }

    static func text(of url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }
}

/// One dashboard file, parsed with JSONSerialization, and the parts the checks look at.
struct DashboardDocument {
    let name: String
    let text: String
    let json: [String: Any]

    enum LoadError: Error, CustomStringConvertible {
        case notAnObject(String)
        var description: String {
            switch self {
            case .notAnObject(let name): "\(name).json is not a JSON object"
            }
        }
    }

    init(named name: String) throws {
        let url = DashboardRepository.dashboards.appendingPathComponent(name + ".json")
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoadError.notAnObject(name)
        }
        self.name = name
        self.text = String(decoding: data, as: UTF8.self)
        self.json = object
    }

    /// Every panel, rows included, with the panels nested in (collapsed) rows, in file order.
    var panels: [[String: Any]] {
        var all: [[String: Any]] = []
        for panel in json["panels"] as? [[String: Any]] ?? [] {
            all.append(panel)
            all.append(contentsOf: panel["panels"] as? [[String: Any]] ?? [])
        }
        return all
    }

    var variables: [[String: Any]] {
        (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
    }

    func variable(named name: String) -> [String: Any]? {
        variables.first { $0["name"] as? String == name }
    }

    /// Every PromQL text with where it comes from: panel targets and query variables.
    var expressions: [(origin: String, expr: String)] {
        var all: [(origin: String, expr: String)] = []
        for panel in panels {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                let refId = target["refId"] as? String ?? "?"
                all.append(("\(name): panel \"\(Self.title(of: panel))\" \(refId)", target["expr"] as? String ?? ""))
            }
        }
        for variable in variables where variable["type"] as? String == "query" {
            all.append(("\(name): variable $\(variable["name"] as? String ?? "?")", Self.variableQuery(variable) ?? ""))
        }
        return all
    }

    static func title(of panel: [String: Any]) -> String { panel["title"] as? String ?? "(untitled)" }

    static func isRow(_ panel: [String: Any]) -> Bool { panel["type"] as? String == "row" }

    /// A query variable's PromQL: a string, or `{"query": ...}` as newer Grafanas store it.
    static func variableQuery(_ variable: [String: Any]) -> String? {
        if let text = variable["query"] as? String { return text }
        return (variable["query"] as? [String: Any])?["query"] as? String
    }

    /// Every unit set on a panel: the default and those of overrides.
    static func units(of panel: [String: Any]) -> [String] {
        let fieldConfig = panel["fieldConfig"] as? [String: Any]
        var units: [String] = []
        if let unit = (fieldConfig?["defaults"] as? [String: Any])?["unit"] as? String { units.append(unit) }
        for override in fieldConfig?["overrides"] as? [[String: Any]] ?? [] {
            for property in override["properties"] as? [[String: Any]] ?? [] where property["id"] as? String == "unit" {
                units.append(property["value"] as? String ?? "")
            }
        }
        return units
    }
}
