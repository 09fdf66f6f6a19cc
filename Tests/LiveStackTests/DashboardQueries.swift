import Foundation
import TestSupport

/// Every panel query of the dashboards in Grafana/dashboards, with Grafana's variables replaced
/// by what Grafana would send for a short range.
enum DashboardQueries {
    struct Query {
        let dashboard: String
        let panel: String
        let expression: String
    }

    static func all() throws -> [Query] {
        let folder = packageRoot.appendingPathComponent("Grafana/dashboards")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else { throw SetupError("no dashboards in \(folder.path)") }
        return try files.flatMap { file -> [Query] in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file))) as? [String: Any]
            return panels(in: json?["panels"] as? [[String: Any]] ?? []).flatMap { panel in
                (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                    guard let expression = target["expr"] as? String, !expression.isEmpty else { return nil }
                    return Query(dashboard: file, panel: panel["title"] as? String ?? "?", expression: substitute(expression))
                }
            }
        }
    }

    private static func panels(in list: [[String: Any]]) -> [[String: Any]] {
        list.flatMap { panel in [panel] + panels(in: panel["panels"] as? [[String: Any]] ?? []) }
    }

    /// Grafana's built-in and template variables, as Grafana would expand them for the last 15 minutes.
    static func substitute(_ expression: String) -> String {
        var text = expression
        for (variable, value) in [
            ("${__rate_interval}", "1m"), ("$__rate_interval", "1m"), ("${__interval}", "15s"), ("$__interval", "15s"),
            ("${__range}", "15m"), ("$__range", "15m"),
            // Before $user, which is a prefix of $user_group.
            ("${campaign}", ".*"), ("$campaign", ".*"), ("${user_group}", ".*"), ("$user_group", ".*"), ("${user:regex}", ".+"), ("${user}", ".+"), ("$user", ".+"),
            ("${job}", ".+"), ("$job", ".+"), ("${instance}", ".+"), ("$instance", ".+"),
        ] {
            text = text.replacingOccurrences(of: variable, with: value)
        }
        return text
    }
}
