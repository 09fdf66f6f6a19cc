import Foundation
import Testing
import TestSupport

/// The whole stack on 127.0.0.1: the release exporter, the simulator at high speed, a real
/// Prometheus (1 s scrapes and rule evaluation, our rule files loaded) and a real Alertmanager
/// whose webhook is a listener in this test. Every process is stopped when the test ends.
@Suite(.serialized) struct LiveStackTests {
    static let pausedUser = "sim007"

    @Test func dashboardsRulesAlertsAndTotalsAgainstALivePrometheus() throws {
        let started = Date()
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("live-stack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        // Prometheus scrapes with basic auth, as the README sets it up; the simulator's pushes need none.
        try LiveConfigs.webConfig.write(to: workspace.appendingPathComponent("web.yml"), atomically: true, encoding: .utf8)
        // VICIdial's database for enrichment: the simulator's agents in two user groups and two
        // campaigns, each on a pause code that covers all its pauses (a row from epoch 0).
        let database = try MariaDBServer()
        try database.sql(Self.enrichmentRows(agents: 20))
        let passwordFile = workspace.appendingPathComponent("db-password")
        try database.password.write(to: passwordFile, atomically: true, encoding: .utf8)
        // Snapshots every 5 s, so the dashboard's snapshot panels have data within the run.
        let exporter = try ExporterProcess(arguments: [
            "--agent.max-clock-skew", "48h", "--storage.snapshot-interval", "5s",
            "--web.config.file", workspace.appendingPathComponent("web.yml").path,
            "--vicidial.db-dsn", database.dsn, "--vicidial.db-password-file", passwordFile.path, "--vicidial.db-poll-interval", "1s",
        ])
        let webhook = try AlertWebhook()

        let alertmanagerPort = try freeLoopbackPort()
        try LiveConfigs.alertmanager(webhook: webhook.url).write(to: workspace.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
        let alertmanager = try ManagedProcess(
            name: "alertmanager", executable: try systemBinary("prometheus-alertmanager"),
            arguments: [
                "--config.file=\(workspace.path)/alertmanager.yml", "--storage.path=\(workspace.path)/alertmanager",
                "--web.listen-address=127.0.0.1:\(alertmanagerPort)", "--cluster.listen-address=",
            ])

        let (prometheus, api) = try PrometheusAPI.start(
            configuration: LiveConfigs.prometheus(
                exporterPort: exporter.port, alertmanagerPort: alertmanagerPort, ruleFiles: try LiveConfigs.ruleFiles()),
            workspace: workspace)
        defer { withExtendedLifetime(prometheus) {} }  // stopped when the test ends
        try alertmanager.waitForLog(seconds: 30) { log in log.contains("Listening") || log.contains("listening") ? true : nil }

        // 20 agents, 120x: 40 real seconds are 80 simulated minutes; sim007 pauses at login and stays paused.
        let simulator = try ManagedProcess(
            name: "vicidial-agent-sim", executable: releaseBinary("vicidial-agent-sim", environment: "VICIDIAL_AGENT_SIM_BIN"),
            arguments: [
                "--target", "127.0.0.1:\(exporter.port)", "--agents", "20", "--speed", "120", "--duration", "40s",
                "--seed", "11", "--jitter", "200ms", "--long-pause-user", Self.pausedUser,
            ])

        // Mid-run: every recording rule and every dashboard panel query returns data.
        usleep(20_000_000)
        for rule in try LiveConfigs.recordingRuleNames() {
            let result = try eventually(seconds: 15) { try api.query(rule).isEmpty ? nil : true }
            #expect(result == true, "recording rule \(rule) has no data")
        }
        for query in try DashboardQueries.all() {
            #expect(!query.expression.contains("$"), "\(query.dashboard) / \(query.panel): a Grafana variable left in \(query.expression)")
            let result = try eventually(seconds: 3) { try api.query(query.expression).isEmpty ? nil : true }
            #expect(result == true, "\(query.dashboard) / \(query.panel): no data for \(query.expression)")
        }

        // The provoked condition reaches the webhook through Prometheus and Alertmanager.
        let fired = try eventually(seconds: 60) {
            webhook.alerts.first { $0.name == "VicidialAgentPausedTooLong" && $0.labels["user"] == Self.pausedUser }
        }
        #expect(fired?.status == "firing")
        #expect(fired?.labels["severity"] != nil)

        // After the run every agent is logged out: Prometheus holds exactly the simulator's totals.
        #expect(try simulator.waitUntilExit(seconds: 90) == 0, "simulator: \(simulator.log.suffix(2000))")
        let expected = try JSONDecoder().decode(SimulatorTotals.self, from: simulator.output)
        #expect(expected.failed == 0)
        #expect(expected.agents.count == 20)
        usleep(3_000_000)  // the reorder window passes and Prometheus scrapes the final state
        let stateSeconds = try api.query("vicidial_agent_state_seconds_total")
        let calls = try api.query("vicidial_agent_calls_total")
        let dispositions = try api.query("vicidial_agent_dispositions_total")
        let logins = try api.query("vicidial_agent_logins_total")
        let logouts = try api.query("vicidial_agent_logouts_total")
        for (user, totals) in expected.agents {
            for (state, seconds) in totals.stateSeconds {
                let held = stateSeconds.first { $0.labels["user"] == user && $0.labels["state"] == state }?.value
                #expect(held == Double(seconds), "\(user) \(state)")
            }
            #expect(calls.first { $0.labels["user"] == user }?.value == Double(totals.calls), "\(user) calls")
            #expect(logins.first { $0.labels["user"] == user }?.value == Double(totals.logins), "\(user) logins")
            for (reason, count) in totals.logouts {
                let held = logouts.first { $0.labels["user"] == user && $0.labels["reason"] == reason }?.value
                #expect(held == Double(count), "\(user) logout \(reason)")
            }
            for (status, count) in totals.dispositions {
                let held = dispositions.first { $0.labels["user"] == user && $0.labels["status"] == status }?.value
                #expect(held == Double(count), "\(user) \(status)")
            }
        }
        #expect(Date().timeIntervalSince(started) < 240)
    }
}

extension LiveStackTests {
    /// `vicidial_users`, `vicidial_live_agents` and `vicidial_agent_log` rows for the simulator's
    /// agents sim001, sim002, ...: even agents in SALES on campaign OUTB with pause code BREAK, odd
    /// ones in SUPPORT on INB with LUNCH.
    static func enrichmentRows(agents: Int) -> String {
        (1...agents).map { index in
            let user = String(format: "sim%03d", index)
            let (group, campaign, code) = index.isMultiple(of: 2) ? ("SALES", "OUTB", "BREAK") : ("SUPPORT", "INB", "LUNCH")
            let row = 9000 + index
            return """
                INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES ('\(user)', 'x', 'Agent \(index)', '\(group)');
                INSERT INTO vicidial_live_agents (user, server_ip, lead_id, campaign_id, status, pause_code, agent_log_id)
                  VALUES ('\(user)', '10.0.0.1', 0, '\(campaign)', 'PAUSED', '\(code)', \(row));
                INSERT INTO vicidial_agent_log (agent_log_id, user, server_ip, event_time, campaign_id, pause_epoch, user_group, sub_status)
                  VALUES (\(row), '\(user)', '10.0.0.1', NOW(), '\(campaign)', 0, '\(group)', '\(code)');
                """
        }.joined(separator: "\n")
    }
}

func eventually<T>(seconds: Double, _ check: () throws -> T?) throws -> T? {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if let value = try check() { return value }
        usleep(250_000)
    } while Date() < deadline
    return nil
}

/// What vicidial-agent-sim prints when it ends.
struct SimulatorTotals: Decodable {
    struct Agent: Decodable {
        let stateSeconds: [String: Int]
        let calls: Int
        let dispositions: [String: Int]
        let logins: Int
        let logouts: [String: Int]

        enum CodingKeys: String, CodingKey {
            case stateSeconds = "state_seconds", calls, dispositions, logins, logouts
        }
    }

    let agents: [String: Agent]
    let sent: Int
    let failed: Int
}
