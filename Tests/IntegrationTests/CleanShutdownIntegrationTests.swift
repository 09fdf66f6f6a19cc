import Foundation
import HTTPClient
import TestSupport
import Testing

/// SIGTERM: new connections are refused at once, a request still arriving is read, handled and
/// answered, then the journal is synced and a snapshot written, and the exit status is 0. The
/// next start has nothing to replay.
@Suite(.serialized) struct CleanShutdownIntegrationTests {
    @Test func sigtermAnswersTheRequestInFlightSnapshotsAndExitsZero() throws {
        var exporter = try ExporterProcess()
        let port = exporter.port
        let body = "user=6666&event=logged_in&message=&lead_id=&counter=0&epoch=\(Int(Date().timeIntervalSince1970))&agent_log_id="
        let inFlight = try RawHTTPClient(port: port)
        try inFlight.send(
            "POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                + body.prefix(20))
        usleep(300_000)  // the headers are read: the request is in flight
        exporter.signalTerminate()
        // New connections are refused once stopping (polled: how soon the signal lands varies).
        var refused = false
        for _ in 0..<100 where !refused {
            refused = (try? RawHTTPClient(port: port)) == nil
            if !refused { usleep(20_000) }
        }
        #expect(refused, "new connections are refused once stopping")
        try inFlight.send(String(body.dropFirst(20)))
        let response = try inFlight.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "accepted\n")
        #expect(try exporter.waitUntilExit(seconds: 10) == 0)
        #expect(exporter.log.contains("msg=\"stopped: journal synced and snapshot written\" snapshot_bytes="), "\(exporter.log)")
        #expect(exporter.log.contains(" snapshot_failures=0 "), "\(exporter.log)")

        exporter = try ExporterProcess(storage: exporter.storage)
        #expect(exporter.log.contains("records_replayed=0 seconds="), "\(exporter.log)")
        #expect(try loopbackGet(exporter.port, "/metrics").bodyText.contains(#"vicidial_agent_logins_total{user="6666"} 1"# + "\n"))
        #expect(try exporter.terminate() == 0)
    }
}
