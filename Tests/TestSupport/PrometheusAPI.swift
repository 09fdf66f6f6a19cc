import Foundation
import HTTPClient

/// Instant queries against a Prometheus on 127.0.0.1 through its HTTP API.
public struct PrometheusAPI {
    public let port: UInt16

    /// Starts Prometheus (Debian's package) on a free port with `configuration` as its
    /// prometheus.yml, keeping its files in `workspace`; returns once it is ready.
    public static func start(configuration: String, workspace: URL) throws -> (ManagedProcess, PrometheusAPI) {
        try configuration.write(to: workspace.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let port = try freeLoopbackPort()
        let process = try ManagedProcess(
            name: "prometheus", executable: try systemBinary("prometheus"),
            arguments: [
                "--config.file=\(workspace.path)/prometheus.yml", "--storage.tsdb.path=\(workspace.path)/prometheus",
                "--web.listen-address=127.0.0.1:\(port)",
            ])
        let api = PrometheusAPI(port: port)
        try process.waitForLog(seconds: 30) { _ in api.isReady() ? true : nil }
        return (process, api)
    }

    public struct Sample {
        public let labels: [String: String]
        public let value: Double
    }

    public func isReady() -> Bool {
        guard let client = try? RawHTTPClient(port: port) else { return false }
        guard (try? client.send("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) != nil else { return false }
        return (try? client.readResponse().status) == 200
    }

    /// The instant vector (or scalar) an expression evaluates to now, or at `time` (Unix
    /// seconds); throws on a query error.
    public func query(_ expression: String, at time: Double? = nil) throws -> [Sample] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: allowed)!
        let client = try RawHTTPClient(port: port)
        let at = time.map { "&time=\($0)" } ?? ""
        try client.send("GET /api/v1/query?query=\(encoded)\(at) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let response = try client.readResponse()
        guard let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            json["status"] as? String == "success", let data = json["data"] as? [String: Any]
        else { throw SetupError("query failed (\(response.status)): \(expression): \(response.bodyText)") }
        switch data["resultType"] as? String {
        case "vector":
            return (data["result"] as? [[String: Any]] ?? []).map { entry in
                let value = (entry["value"] as? [Any])?.last as? String
                return Sample(labels: entry["metric"] as? [String: String] ?? [:], value: Double(value ?? "") ?? .nan)
            }
        case "scalar":
            let value = (data["result"] as? [Any])?.last as? String
            return [Sample(labels: [:], value: Double(value ?? "") ?? .nan)]
        default:
            throw SetupError("unexpected result type for \(expression): \(response.bodyText)")
        }
    }
}

/// A program from Debian's packages.
public func systemBinary(_ name: String) throws -> URL {
    for folder in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
        let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw SetupError("\(name) is not installed: apt-get install prometheus prometheus-alertmanager (bash .ci/test does)")
}
