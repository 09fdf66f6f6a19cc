import Foundation
import TestSupport

/// Prometheus and Alertmanager configurations for the live test, and what the rule files define.
enum LiveConfigs {
    static func ruleFiles() throws -> [URL] {
        let folder = packageRoot.appendingPathComponent("Grafana/prometheus")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix("rules.yml") }.sorted().map { folder.appendingPathComponent($0) }
        guard !files.isEmpty else { throw SetupError("no rule files in \(folder.path)") }
        return files
    }

    /// `record:` names in the rule files.
    static func recordingRuleNames() throws -> [String] {
        try ruleFiles().flatMap { file in
            try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
                let trimmed = line.drop { $0 == " " || $0 == "-" }
                guard trimmed.hasPrefix("record:") else { return nil }
                return trimmed.dropFirst("record:".count).trimmingCharacters(in: .whitespaces)
            }
        }
    }

    static let webPassword = "live-stack-password"

    /// The exporter's web config: basic auth for Prometheus (`htpasswd -nbBC 4 prometheus
    /// live-stack-password`; cost 4 keeps the first check quick) and one security header.
    static let webConfig = """
        basic_auth_users:
          prometheus: $2y$04$tAAwBUok0IppsNtSxjxOaupU.7.RJaZf0TSfNdhX2XTbbRVqKrRdO
        http_server_config:
          headers:
            X-Content-Type-Options: nosniff

        """

    static func prometheus(exporterPort: UInt16, alertmanagerPort: UInt16, ruleFiles: [URL]) -> String {
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
        \(ruleFiles.map { "  - \($0.path)" }.joined(separator: "\n"))
        alerting:
          alertmanagers:
            - static_configs:
                - targets: ["127.0.0.1:\(alertmanagerPort)"]
        scrape_configs:
          - job_name: vicidial
            basic_auth:
              username: prometheus
              password: \(webPassword)
            static_configs:
              - targets: ["127.0.0.1:\(exporterPort)"]

        """
    }

    static func alertmanager(webhook: String) -> String {
        """
        route:
          receiver: test
          group_by: [alertname, user]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: test
            webhook_configs:
              - url: "\(webhook)"

        """
    }
}
