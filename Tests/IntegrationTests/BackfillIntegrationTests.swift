import AgentEvents
import AgentSimulation
import Foundation
import HTTPClient
import Storage
import TestSupport
import Testing

/// `vicidial-exporter backfill` end to end: a journal becomes an OpenMetrics file, promtool
/// turns it into TSDB blocks, and a real Prometheus loading them answers, at moments inside the
/// day, exactly what the ledger held then.
@Suite(.serialized) struct BackfillIntegrationTests {
    /// 08:00 UTC yesterday: recent, inside Prometheus's retention, and old enough that no
    /// block touches the present.
    static let dayStart: Int64 = {
        let now = Int64(Date().timeIntervalSince1970)
        return now - now % 86_400 - 86_400 + 8 * 3600
    }()

    /// The journal an exporter writes when it receives `AgentDayScript` at the epochs' own times
    /// (agent_a from the day's start, agent_b ten minutes later) and is scraped every 15 s until
    /// half an hour in: written here with the Storage API, since the exporter stamps records
    /// with its clock and the day is yesterday. Two segments, as after a snapshot.
    static func writeJournal(in path: String) throws {
        var records: [(time: Double, record: JournalRecord)] = []
        for (user, offset) in [("agent_a", Int64(0)), ("agent_b", 600)] {
            var received = -Double.infinity
            for push in AgentDayScript.pushes(user: user, start: dayStart + offset) {
                // In sending order: the overtaken push arrives just after the one that overtook it.
                received = max(Double(push.epoch), received + 0.5)
                let event = AgentEvent(
                    user: push.user, event: EventName(push.event.rawValue), message: push.message, counter: push.counter,
                    epoch: push.epoch, agentLogID: UInt32(push.agentLogID))
                records.append((received, .event(event, receivedAt: received)))
            }
        }
        for second in stride(from: 0, through: 1800, by: 15) {
            records.append((Double(dayStart + Int64(second)) + 0.1, .advance(to: Double(dayStart + Int64(second)) + 0.1)))
        }
        records.sort { $0.time < $1.time }
        let directory = try StorageDirectory(path: path)
        let journal = try directory.openJournal(after: RecoveryReport(), policy: .never)
        for (index, entry) in records.enumerated() {
            if index == records.count / 2 { try journal.finishRotation(try journal.beginRotation()) }
            _ = try journal.append(entry.record)
        }
        #expect(journal.close() == nil)
    }

    /// Runs the backfill binary; returns its stderr.
    static func backfill(_ arguments: [String]) throws -> String {
        let result = try ExternalTool.run(releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN"), ["backfill"] + arguments)
        #expect(result.status == 0, "backfill: \(result.combined)")
        #expect(result.output == "")
        return result.errors
    }

    /// promtool's blocks from `file` into `workspace`/prometheus, where `PrometheusAPI.start` keeps its TSDB.
    static func createBlocks(from file: URL, in workspace: URL) throws {
        let promtool = try ExternalTool.find("promtool", install: "apt-get install prometheus")
        let result = try ExternalTool.run(
            promtool, ["tsdb", "create-blocks-from", "openmetrics", file.path, workspace.appendingPathComponent("prometheus").path])
        #expect(result.status == 0, "promtool: \(result.combined)")
    }

    /// A Prometheus on 127.0.0.1 that scrapes nothing and serves the blocks in `workspace`.
    static func prometheus(_ workspace: URL) throws -> (ManagedProcess, PrometheusAPI) {
        try PrometheusAPI.start(configuration: "global:\n  scrape_interval: 1m\nscrape_configs: []\n", workspace: workspace)
    }

    static func values(_ api: PrometheusAPI, _ expression: String, by label: String, at time: Int64) throws -> [String: Double] {
        Dictionary(uniqueKeysWithValues: try api.query(expression, at: Double(time)).map { ($0.labels[label] ?? "", $0.value) })
    }

    static func workspace() throws -> URL {
        let url = ExternalTool.temporaryFile("backfill")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("prometheus"), withIntermediateDirectories: true)
        return url
    }

    @Test func aJournaledDayAnswersFromPrometheusToTheSecond() throws {
        let storage = StorageDirectoryForTests()
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        try Self.writeJournal(in: storage.path)
        let file = workspace.appendingPathComponent("day.om")
        let report = try Self.backfill([
            "--storage.path", storage.path, "--out", file.path, "--label", "job=vicidial", "--label", "instance=vicidial-web:9957",
        ])
        let recordCount = 2 * AgentDayScript.steps.count + 121
        #expect(report.contains("read \(storage.path): from an empty ledger, 2 segments, \(recordCount) records"), "\(report)")
        // Samples every minute from the first record (the day's start) to the last (the scrape at 1800.1 s).
        #expect(report.contains("31 steps of 1m from \(rfc3339(Self.dayStart)) to \(rfc3339(Self.dayStart + 1800))"), "\(report)")
        try Self.createBlocks(from: file, in: workspace)

        let (process, api) = try Self.prometheus(workspace)
        defer { withExtendedLifetime(process) {} }
        // agent_a by AgentDayScript's table: at 300 s, at 840 s, and after its logout at 1000 s.
        let expected: [(second: Int64, user: String, states: [String: Double], calls: Double, dispositions: [String: Double])] = [
            (300, "agent_a", ["pause": 29, "wait": 69, "talk": 160, "dead": 30, "dispo": 10], 2, ["SALE": 1]),
            (840, "agent_a", ["pause": 120, "wait": 238, "talk": 420, "dead": 30, "dispo": 30], 3, ["SALE": 1, "NI": 1, "DNC": 1]),
            (1200, "agent_a", ["pause": 220, "wait": 298, "talk": 420, "dead": 30, "dispo": 30], 3, ["SALE": 1, "NI": 1, "DNC": 1]),
            // agent_b's day is agent_a's, ten minutes later.
            (900, "agent_b", ["pause": 29, "wait": 69, "talk": 160, "dead": 30, "dispo": 10], 2, ["SALE": 1]),
            (1800, "agent_b", ["pause": 220, "wait": 298, "talk": 420, "dead": 30, "dispo": 30], 3, ["SALE": 1, "NI": 1, "DNC": 1]),
        ]
        for moment in expected {
            let time = Self.dayStart + moment.second
            let user = #"job="vicidial",instance="vicidial-web:9957",user=""# + moment.user + "\""
            #expect(try Self.values(api, "vicidial_agent_state_seconds_total{\(user)}", by: "state", at: time) == moment.states, "\(moment.user) at \(moment.second) s")
            #expect(try Self.values(api, "vicidial_agent_calls_total{\(user)}", by: "user", at: time) == [moment.user: moment.calls])
            #expect(try Self.values(api, "vicidial_agent_dispositions_total{\(user)}", by: "status", at: time) == moment.dispositions)
        }
        // Before agent_b's first push it has no series; 6 minutes after its last sample none is left.
        #expect(try api.query(#"vicidial_agent_calls_total{user="agent_b"}"#, at: Double(Self.dayStart + 540)).isEmpty)
        #expect(try api.query("vicidial_agent_calls_total", at: Double(Self.dayStart + 1800 + 360)).isEmpty)
    }

    /// The journal the real exporter wrote (receive times now, epochs yesterday), after a clean
    /// stop with its final snapshot: backfill's last samples are the exporter's last scrape.
    @Test func theExportersOwnJournalEndsAtItsLastScrape() throws {
        let exporter = try ExporterProcess(arguments: ["--agent.max-clock-skew", "48h", "--storage.retention", "26h"])
        let client = try RawHTTPClient(port: exporter.port)
        for push in AgentDayScript.pushes(user: "agent_live", start: Self.dayStart) {
            try client.send(PushTransport.agentScreen.request(push, host: "127.0.0.1", path: "/event"))
            #expect(try client.readResponse().status == 200)
        }
        usleep(2_000_000)  // the overtaken push's reorder window passes, and a whole second after it
        let scraped = try loopbackGet(exporter.port, "/metrics").bodyText.split(separator: "\n")
            .filter { $0.hasPrefix("vicidial_agent_state_seconds_total{") }.map(String.init)
        #expect(scraped.count == 5)
        #expect(try exporter.terminate() == 0)

        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let file = workspace.appendingPathComponent("live.om")
        let report = try Self.backfill([
            "--storage.path", exporter.storage.path, "--out", file.path, "--step", "1s", "--agent.max-clock-skew", "48h",
        ])
        #expect(report.contains("from an empty ledger, 2 segments, \(AgentDayScript.steps.count + 1) records"), "\(report)")
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        // Each series' last sample holds what the scrape showed.
        for line in scraped {
            let series = line[..<line.lastIndex(of: " ")!]
            let last = lines.last { $0.hasPrefix(series + " ") }
            #expect(last.map { $0[..<$0.lastIndex(of: " ")!] } == Substring(line))
        }
        try Self.createBlocks(from: file, in: workspace)
        let (process, api) = try Self.prometheus(workspace)
        defer { withExtendedLifetime(process) {} }
        let lastTime = Int64(lines.last { $0.hasPrefix("vicidial_agent_calls_total") }!.split(separator: " ").last!)!
        #expect(try Self.values(api, #"vicidial_agent_state_seconds_total{user="agent_live"}"#, by: "state", at: lastTime)
            == AgentDayScript.stateSeconds.mapValues(Double.init))
    }
}

/// RFC 3339 in UTC, as backfill prints its times.
private func rfc3339(_ seconds: Int64) -> String {
    let date = Date(timeIntervalSince1970: TimeInterval(seconds))
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}
