import Foundation
import TestSupport
import Testing

/// Grafana/prometheus: the recording and alerting rules through `promtool check rules` and their
/// unit tests through `promtool test rules`, the example configs through `promtool check config`
/// and `amtool check-config`, and the conventions promtool does not check (labels, annotations,
/// runbook sections, a unit test for every rule). A missing promtool or amtool fails the tests.
@Suite("Prometheus rules")
struct RuleTests {
    static let runbookBase = "https://github.com/vicidial-exporter/vicidial-exporter/blob/main/docs/runbook.md#"
    static let severities: Set = ["page", "warning", "info"]

    @Test("promtool check rules passes every rule file, without warnings, and counts the rules we parse")
    func ruleFilesPassPromtoolCheck() throws {
        let promtool = try ExternalTool.find("promtool", install: "apt-get install prometheus")
        let files = try RuleFiles.ruleFiles()
        #expect(files.map(\.lastPathComponent).contains(RuleFiles.alertRules.lastPathComponent))
        #expect(files.map(\.lastPathComponent).contains(RuleFiles.recordingRules.lastPathComponent))
        for file in files {
            let result = try ExternalTool.run(promtool, ["check", "rules", file.path])
            #expect(result.status == 0, "promtool check rules \(file.lastPathComponent):\n\(result.combined)")
            #expect(!result.combined.lowercased().contains("warn"), "promtool warns about \(file.lastPathComponent):\n\(result.combined)")
            // The line-based reading the other tests rely on must see every rule promtool sees.
            let parsed = RuleYAML.rules(in: try RuleFiles.text(file)).count
            #expect(Self.rulesFound(in: result.output) == parsed, "promtool and the line parser disagree on \(file.lastPathComponent):\n\(result.output)")
        }
    }

    @Test("promtool test rules passes every unit test file")
    func unitTestsPass() throws {
        let promtool = try ExternalTool.find("promtool", install: "apt-get install prometheus")
        let files = try RuleFiles.unitTests()
        #expect(!files.isEmpty, "no unit tests in \(RuleFiles.unitTestDirectory.path)")
        for file in files {
            let result = try ExternalTool.run(promtool, ["test", "rules", file.path])
            #expect(result.status == 0, "promtool test rules \(file.lastPathComponent):\n\(result.combined)")
            #expect(result.combined.contains("SUCCESS"), "promtool test rules \(file.lastPathComponent):\n\(result.combined)")
        }
    }

    @Test("promtool test rules exits non-zero on a wrong expectation (so a passing run means something)")
    func wrongExpectationFails() throws {
        let promtool = try ExternalTool.find("promtool", install: "apt-get install prometheus")
        let file = ExternalTool.temporaryFile("wrong.yml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            rule_files:
              - \(RuleFiles.recordingRules.path)
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'vicidial_agent_state{user="1001",state="pause"}'
                    values: '1x5'
                promql_expr_test:
                  - expr: ':vicidial_agents_logged_in:sum'
                    eval_time: 5m
                    exp_samples:
                      - {labels: ':vicidial_agents_logged_in:sum', value: 2}
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try ExternalTool.run(promtool, ["test", "rules", file.path])
        #expect(result.status != 0, "promtool accepted a wrong expectation:\n\(result.combined)")
        #expect(result.combined.contains("FAILED"), "\(result.combined)")
    }

    @Test("promtool check config passes the example prometheus.yml and its rule files")
    func prometheusConfigPasses() throws {
        let promtool = try ExternalTool.find("promtool", install: "apt-get install prometheus")
        let result = try ExternalTool.run(promtool, ["check", "config", RuleFiles.prometheusConfig.path])
        #expect(result.status == 0, "promtool check config:\n\(result.combined)")
        #expect(!result.combined.lowercased().contains("warn"), "promtool warns about prometheus.yml:\n\(result.combined)")
        let ruleFiles = try RuleFiles.ruleFiles()
        #expect(result.output.contains("SUCCESS: \(ruleFiles.count) rule files found"), "prometheus.yml should load every rule file:\n\(result.output)")
    }

    @Test("amtool check-config passes the example alertmanager.yml, and pages reach a receiver")
    func alertmanagerConfigPasses() throws {
        let amtool = try ExternalTool.find("amtool", install: "apt-get install prometheus-alertmanager")
        let result = try ExternalTool.run(amtool, ["check-config", RuleFiles.alertmanagerConfig.path])
        #expect(result.status == 0, "amtool check-config:\n\(result.combined)")
        #expect(result.combined.contains("SUCCESS"), "amtool check-config:\n\(result.combined)")
        #expect(result.combined.contains("1 inhibit rules"), "alertmanager.yml should inhibit the agent alerts while the exporter is down:\n\(result.combined)")

        let route = try ExternalTool.run(
            amtool,
            ["config", "routes", "test", "--config.file=\(RuleFiles.alertmanagerConfig.path)", "alertname=VicidialExporterDown", "job=vicidial", "severity=page"])
        #expect(route.status == 0, "amtool config routes test:\n\(route.combined)")
        #expect(route.output.trimmingCharacters(in: .whitespacesAndNewlines) == "webhook", "\(route.combined)")
    }

    @Test("every alert has a severity, summary, description and a runbook_url whose section exists")
    func alertsAreDocumented() throws {
        let alerts = RuleYAML.rules(in: try RuleFiles.text(RuleFiles.alertRules)).filter { $0.kind == .alert }
        #expect(alerts.count >= 8)
        let runbook = try RuleFiles.text(RuleFiles.runbook)
        let anchors = RuleYAML.headingAnchors(in: runbook)
        for alert in alerts {
            let place = "\(alert.name) (vicidial-alert-rules.yml:\(alert.line))"
            #expect(Self.severities.contains(alert.fields["severity"] ?? ""), "\(place): severity must be page, warning or info")
            #expect(!(alert.fields["summary"] ?? "").isEmpty, "\(place): no summary annotation")
            #expect(!(alert.fields["description"] ?? "").isEmpty, "\(place): no description annotation")
            let url = alert.fields["runbook_url"] ?? ""
            #expect(url == Self.runbookBase + alert.name.lowercased(), "\(place): runbook_url should be \(Self.runbookBase + alert.name.lowercased()), is \(url)")
            if let hash = url.firstIndex(of: "#") {
                let anchor = String(url[url.index(after: hash)...])
                #expect(anchors.contains(anchor), "\(place): docs/runbook.md has no heading for #\(anchor)")
            }
            #expect(runbook.contains("[\(alert.name)](#\(alert.name.lowercased()))"), "\(place): missing from the runbook's Thresholds table")
        }
    }

    @Test("every alert fires and stays silent in a unit test, and every recording rule is evaluated in one")
    func everyRuleHasUnitTests() throws {
        let rules = try RuleFiles.ruleFiles().flatMap { RuleYAML.rules(in: try RuleFiles.text($0)) }
        let tests = try RuleFiles.unitTests()
        let coverage = RuleYAML.coverage(of: try tests.map { try RuleFiles.text($0) })
        for rule in rules {
            switch rule.kind {
            case .alert:
                #expect(coverage.firing.contains(rule.name), "\(rule.name): no unit test where it fires")
                #expect(coverage.firingWithSummary.contains(rule.name), "\(rule.name): no firing unit test asserting its summary")
                #expect(coverage.silent.contains(rule.name), "\(rule.name): no unit test where it stays silent (exp_alerts: [])")
            case .record:
                #expect(coverage.exprNames.contains(rule.name), "\(rule.name): no promql_expr_test evaluates it")
            }
        }
        // A misspelt alertname would make a silent case pass vacuously.
        let alertNames = Set(rules.filter { $0.kind == .alert }.map(\.name))
        for file in tests {
            for tested in RuleYAML.testedAlertnames(in: try RuleFiles.text(file)) {
                #expect(alertNames.contains(tested.name), "\(file.lastPathComponent):\(tested.line): no alert named \(tested.name)")
            }
        }
    }

    @Test("the recording rules the dashboards use exist, and no rule name is defined twice")
    func recordingRuleContract() throws {
        let rules = try RuleFiles.ruleFiles().flatMap { RuleYAML.rules(in: try RuleFiles.text($0)) }
        let records = rules.filter { $0.kind == .record }.map(\.name)
        for name in DashboardRecordingRules.names {
            #expect(records.contains(name), "recording rule \(name) is gone: dashboards query it")
        }
        let alerts = rules.filter { $0.kind == .alert }.map(\.name)
        #expect(Set(records).count == records.count, "a recording rule is defined twice: \(records)")
        #expect(Set(alerts).count == alerts.count, "an alert is defined twice: \(alerts)")
    }

    /// N in promtool's "SUCCESS: N rules found".
    static func rulesFound(in output: String) -> Int? {
        for line in output.components(separatedBy: "\n") where line.contains("SUCCESS:") && line.contains("rules found") {
            let digits = line.split(separator: " ").first { Int($0) != nil }
            return digits.flatMap { Int($0) }
        }
        return nil
    }
}
