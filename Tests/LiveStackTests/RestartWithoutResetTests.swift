import Foundation
import HTTPClient
import Testing
import TestSupport

/// A real Prometheus scrapes the exporter every second across a clean restart (SIGTERM) and a
/// kill -9, both on the same port and storage, while agents pause, wait and talk: no counter
/// it saw ever went down.
@Suite(.serialized) struct RestartWithoutResetTests {
    static let counters = #"{__name__=~"vicidial_agent_.+_(total|bucket|count|sum)|vicidial_exporter_(events_accepted|events_duplicate|events_reordered|events_late|sessions_closed_out|agents_expired|label_overflow)_total"}"#

    @Test func prometheusSeesNoCounterResetAcrossRestarts() throws {
        let port = try freeLoopbackPort()
        let storage = StorageDirectoryForTests()
        let arguments = ["--web.listen-address", "127.0.0.1:\(port)"]
        var exporter = try ExporterProcess(arguments: arguments, storage: storage)

        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let (prometheus, api) = try PrometheusAPI.start(
            configuration: LiveConfigs.prometheus(exporterPort: port, alertmanagerPort: try freeLoopbackPort(), ruleFiles: []),
            workspace: workspace)
        defer { withExtendedLifetime(prometheus) {} }  // stopped when the test ends

        var counters: [String: Int] = [:]
        // Four agents with open states that grow with every scrape: paused, waiting, talking.
        try push(port, [("a1", "logged_in", ""), ("a2", "logged_in", ""), ("a3", "logged_in", ""), ("a4", "logged_in", "")], counters: &counters)
        try push(port, [("a2", "state_ready", "READY"), ("a3", "state_ready", "READY"), ("a4", "state_ready", "READY")], counters: &counters)
        try push(port, [("a3", "call_answered", "M1"), ("a4", "call_answered", "M2")], counters: &counters)
        try waitForScrapes(api, 4)

        // A clean restart: SIGTERM writes a snapshot, so the next start replays nothing.
        #expect(try exporter.terminate() == 0)
        #expect(exporter.log.contains("msg=\"stopped: journal synced and snapshot written\""))
        exporter = try ExporterProcess(arguments: arguments, storage: storage)
        #expect(exporter.log.contains("records_replayed=0"), "\(exporter.log)")
        try push(port, [("a4", "agent_hangup", ""), ("a4", "dispo_set", "SALE"), ("a1", "state_ready", "READY")], counters: &counters)
        try waitForScrapes(api, 4)

        // kill -9: no snapshot, the journal is replayed.
        try exporter.killHard()
        exporter = try ExporterProcess(arguments: arguments, storage: storage)
        #expect(!exporter.log.contains("records_replayed=0"), "\(exporter.log)")
        try push(port, [("a3", "agent_hangup", ""), ("a3", "dispo_set", "NI"), ("a2", "state_paused", "PAUSED")], counters: &counters)
        try waitForScrapes(api, 4)

        let series = try api.query("count(\(Self.counters))").first?.value ?? 0
        #expect(series > 40, "the counters were scraped")
        let grown = try api.query(#"sum(increase(vicidial_agent_state_seconds_total[5m]))"#).first?.value ?? 0
        #expect(grown > 10, "state seconds grew across the restarts")
        // resets() drops the metric name, so each counter family is asked on its own.
        let names = try api.query("count by (__name__) (\(Self.counters))").compactMap { $0.labels["__name__"] }
        #expect(names.count >= 20)
        for name in names {
            #expect(try api.query("sum(resets(\(name)[5m]))").map(\.value) == [0], "\(name) was reset")
        }
        #expect(try api.query(#"vicidial_agent_dispositions_total{status="SALE"}"#).map(\.value) == [1])
        #expect(try exporter.terminate() == 0)
    }

    /// Pushes stamped with the current second, each agent on its own sequence of counters.
    private func push(
        _ port: UInt16, _ events: [(user: String, event: String, message: String)], counters: inout [String: Int]
    ) throws {
        let client = try RawHTTPClient(port: port)
        for event in events {
            counters[event.user, default: 0] += 1
            let counter = counters[event.user]!
            let body = "user=\(event.user)&event=\(event.event)&message=\(event.message)&lead_id=&counter=\(counter)"
                + "&epoch=\(Int(Date().timeIntervalSince1970))&agent_log_id="
            try client.send(
                "POST /event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try client.readResponse()
            #expect(response.status == 200, "\(event): \(response.bodyText)")
        }
    }

    /// Waits until Prometheus has `count` more successful scrapes of the exporter.
    private func waitForScrapes(_ api: PrometheusAPI, _ count: Int) throws {
        let before = try api.query(#"sum_over_time(up{job="vicidial"}[10m])"#).first?.value ?? 0
        let done = try eventually(seconds: Double(count) + 20) {
            let now = try api.query(#"sum_over_time(up{job="vicidial"}[10m])"#).first?.value ?? 0
            return now >= before + Double(count) ? true : nil
        }
        #expect(done == true, "Prometheus did not scrape the exporter \(count) times")
    }
}
