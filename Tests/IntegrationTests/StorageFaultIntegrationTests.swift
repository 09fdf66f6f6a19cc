import Foundation
import HTTPClient
import TestSupport
import Testing

/// The release binary on a real, small tmpfs: a full disk answers 503 (counted, and the
/// exporter not ready) and writing resumes by itself once space returns; a read-only mount is
/// refused at start. (A read-only remount at run time, which Linux refuses while the journal
/// is open, is covered in-process by JournalFaultTests.)
@Suite(.serialized) struct StorageFaultIntegrationTests {
    /// A tmpfs mounted at a fresh directory, unmounted and removed when the object goes.
    final class SmallDisk {
        let path: String

        init(size: String, readOnly: Bool = false) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("vx-tmpfs-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Self.mount(["-t", "tmpfs", "-o", "size=\(size)\(readOnly ? ",ro" : "")", "tmpfs", path])
        }

        func resize(_ size: String) throws { try Self.mount(["-o", "remount,size=\(size)", path]) }

        deinit {
            _ = try? ExternalTool.run(URL(fileURLWithPath: "/bin/umount"), [path])
            try? FileManager.default.removeItem(atPath: path)
        }

        private static func mount(_ arguments: [String]) throws {
            let result = try ExternalTool.run(URL(fileURLWithPath: "/bin/mount"), arguments)
            guard result.status == 0 else {
                throw SetupError("mount \(arguments.joined(separator: " ")) failed (the storage fault tests need root): \(result.combined)")
            }
        }
    }

    @Test func aFullDiskAnswers503UntilSpaceReturnsAndLosesNothingAcknowledged() throws {
        let disk = try SmallDisk(size: "128k")
        let storage = disk.path + "/data"
        var exporter = try ExporterProcess(arguments: ["--storage.path", storage, "--storage.fsync", "always"])
        let client = try RawHTTPClient(port: exporter.port)
        var counter = 0
        func heartbeat() throws -> RawResponse {
            counter += 1
            let body = "user=6666&event=agent_alert&message=CHECK-FOR-CALL+COMPLETE%3A+881&lead_id=&counter=\(counter)"
                + "&epoch=\(Int(Date().timeIntervalSince1970))&agent_log_id=881"
            try client.send(
                "POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return try client.readResponse()
        }

        var acknowledged = 0
        var refusal: RawResponse?
        while refusal == nil && acknowledged < 10_000 {
            let response = try heartbeat()
            if response.status == 200 { acknowledged += 1 } else { refusal = response }
        }
        #expect(acknowledged > 500)
        #expect(refusal?.status == 503)
        #expect(refusal?.bodyText == "storage failing, event not stored: write \(storage)/journal-00000001: No space left on device\n")
        #expect(try heartbeat().status == 503)
        // tmpfs hands out whole pages: a scrape's 17-byte advance record may still fit in the
        // journal's last page. A few scrapes use that slack up; then nothing can be written.
        var failing = ""
        for _ in 0..<10 where !failing.contains("vicidial_exporter_storage_healthy 0\n") {
            failing = try loopbackGet(exporter.port, "/metrics").bodyText
        }
        #expect(failing.contains("vicidial_exporter_storage_healthy 0\n"))
        #expect(failing.contains(#"vicidial_exporter_events_rejected_total{reason="storage_unavailable"} 2"# + "\n"))
        #expect(failing.contains(#"vicidial_agent_events_total{user="6666",event="agent_alert"} \#(acknowledged)"# + "\n"))
        let notReady = try loopbackGet(exporter.port, "/-/ready")
        #expect(notReady.status == 503)
        #expect(notReady.bodyText.hasPrefix("Not ready: storage failing: write \(storage)/journal-00000001: No space left on device"))
        #expect(try heartbeat().status == 503)
        let logged = try waitUntil(seconds: 3) { exporter.log.contains("msg=\"storage failing: /event answers 503 until it works again\"") }
        #expect(logged)

        try disk.resize("4m")  // space returns: the next probe (within a second) finds it
        let recovered = try waitUntil(seconds: 5) { try loopbackGet(exporter.port, "/-/ready").status == 200 }
        #expect(recovered)
        #expect(exporter.log.contains("msg=\"storage works again: events are taken\""))
        for _ in 0..<100 {
            #expect(try heartbeat().status == 200)
            acknowledged += 1
        }

        // Every acknowledged push survives a kill -9; the cut-off partial record left no damage.
        try exporter.killHard()
        exporter = try ExporterProcess(arguments: ["--storage.path", storage], storage: exporter.storage)
        #expect(exporter.log.contains("damaged=0"), "\(exporter.log)")
        let after = try loopbackGet(exporter.port, "/metrics").bodyText
        #expect(after.contains(#"vicidial_agent_events_total{user="6666",event="agent_alert"} \#(acknowledged)"# + "\n"))
        // A start that replayed journal writes a snapshot at once, so the next start replays little.
        let snapshotted = try waitUntil(seconds: 5) {
            try loopbackGet(exporter.port, "/metrics").bodyText.contains("vicidial_exporter_snapshots_written_total 1\n")
        }
        #expect(snapshotted)
        let status = try exporter.terminate()
        #expect(status == 0, "\(exporter.log.suffix(3000))")
    }

    @Test func aReadOnlyMountIsRefusedAtStartNamingTheProblem() throws {
        let disk = try SmallDisk(size: "1m", readOnly: true)
        let (status, text) = try refusedStart(["--storage.path", disk.path + "/data"])
        #expect(status == 1)
        #expect(text.contains("cannot use storage directory \(disk.path)/data: create directory \(disk.path)/data: Read-only file system"), "\(text)")
    }
}
