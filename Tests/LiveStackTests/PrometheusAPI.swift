import Foundation
import HTTPClient
import TestSupport

/// Instant queries against a Prometheus on 127.0.0.1 through its HTTP API.
struct PrometheusAPI {
    let port: UInt16

    /// Starts Prometheus (Debian's package) on a free port with `configuration` as its
    /// prometheus.yml, keeping its files in `workspace`; returns once it is ready.
    static func start(configuration: String, workspace: URL) throws -> (ManagedProcess, PrometheusAPI) {
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

    struct Sample {
        let labels: [String: String]
        let value: Double
    }

    func isReady() -> Bool {
        guard let client = try? RawHTTPClient(port: port) else { return false }
        guard (try? client.send("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) != nil else { return false }
        return (try? client.readResponse().status) == 200
    }

    /// The instant vector (or scalar) an expression evaluates to now; throws on a query error.
    func query(_ expression: String) throws -> [Sample] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: allowed)!
        let client = try RawHTTPClient(port: port)
        try client.send("GET /api/v1/query?query=\(encoded) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
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
