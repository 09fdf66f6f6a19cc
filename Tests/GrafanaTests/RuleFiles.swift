import Foundation

/// Where the Prometheus and Alertmanager files live, found from this source file's path.
enum RuleFiles {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // GrafanaTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
    static let directory = repository.appendingPathComponent("Grafana/prometheus")
    static let unitTestDirectory = directory.appendingPathComponent("tests")
    static let alertRules = directory.appendingPathComponent("vicidial-alert-rules.yml")
    static let recordingRules = directory.appendingPathComponent("vicidial-recording-rules.yml")
    static let prometheusConfig = directory.appendingPathComponent("prometheus.yml")
    static let alertmanagerConfig = directory.appendingPathComponent("alertmanager.yml")
    static let runbook = repository.appendingPathComponent("docs/runbook.md")

    /// Every rule file: the `.yml` files of Grafana/prometheus but the two example configs.
    static func ruleFiles() throws -> [URL] {
        try yamlFiles(in: directory).filter {
            $0.lastPathComponent != prometheusConfig.lastPathComponent
                && $0.lastPathComponent != alertmanagerConfig.lastPathComponent
        }
    }

    /// Every `promtool test rules` file: Grafana/prometheus/tests/*.yml.
    static func unitTests() throws -> [URL] {
        try yamlFiles(in: unitTestDirectory)
    }

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    private static func yamlFiles(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yml" || $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
