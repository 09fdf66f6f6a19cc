import AgentLedger
import Foundation
import Logging
import Storage
import Testing
import TestSupport

@testable import VicidialExporter

/// The exporter with its journal: 503 while replaying, 503 (counted, never acknowledged) while
/// storage fails and a ledger that does not move meanwhile, recovery by itself, and a restart
/// that rebuilds exactly what was shown.
@Suite struct PersistenceTests {
    let fileSystem = FaultInjectingFileSystem()
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("vx-persistence-\(UUID().uuidString)").path

    /// Recovers from `path` into `harness`'s store, as the command does at start.
    func resume(_ harness: ExporterHarness, policy: FsyncPolicy = .always) throws -> Persistence {
        let directory = try StorageDirectory(path: path, fileSystem: fileSystem)
        let (ledger, report) = try directory.recover(configuration: harness.exporter.configuration.ledger)
        let journal = try directory.openJournal(after: report, policy: policy)
        let persistence = Persistence(
            directory: directory, journal: journal, recovery: report, recoverySeconds: 0.25, logger: Logger(label: "test"))
        harness.exporter.store.resume(from: ledger, persistence: persistence)
        return persistence
    }

    func pushPausedSession(_ harness: ExporterHarness) {
        harness.push("logged_in", counter: 1, at: 0)
        harness.push("state_ready", "READY", counter: 2, at: 10)
        harness.push("state_paused", "PAUSED", counter: 3, at: 40)
    }

    @Test func whileReplayingEventsAndScrapesAre503() {
        let harness = ExporterHarness(recovering: true)
        harness.exporter.markReady()
        let event = harness.push("logged_in", counter: 1, at: 0)
        #expect(event.status == 503)
        #expect(event.text == "starting: replaying the journal, not taking events yet\n")
        #expect(harness.scrape().status == 503)
        let ready = harness.get("/-/ready")
        #expect(ready.status == 503)
        #expect(ready.text == "Not ready: starting: replaying the journal, not taking events yet\n")
        harness.exporter.store.resume(from: AgentLedger(), persistence: nil)
        #expect(harness.get("/-/ready").status == 200)
        #expect(harness.samples().series("vicidial_exporter_events_rejected_total").contains(
            #"vicidial_exporter_events_rejected_total{reason="not_ready"} 1"#))
    }

    @Test func storageMetricsCountWhatWasWritten() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let harness = ExporterHarness(recovering: true)
        let persistence = try resume(harness)
        defer { persistence.journal.close() }
        pushPausedSession(harness)
        harness.exporter.store.writeSnapshot()
        let samples = harness.samples(at: 50)
        let storage = samples.filter {
            $0.hasPrefix("vicidial_exporter_storage") || $0.hasPrefix("vicidial_exporter_journal")
                || $0.hasPrefix("vicidial_exporter_snapshot") || $0.hasPrefix("vicidial_exporter_recovery")
        }
        let snapshot = persistence.snapshotStatistics
        #expect(storage == [
            "vicidial_exporter_storage_healthy 1",
            "vicidial_exporter_journal_records_written_total 4",  // three events and this scrape's advance
            // 40, 47 and 49 bytes for the events (frame, kind, time, strings, flags, counter, epoch), 17 the advance
            "vicidial_exporter_journal_bytes_written_total 153",
            "vicidial_exporter_journal_syncs_total 4",  // one per acknowledged event, one ending the segment
            "vicidial_exporter_journal_failures_total 0",
            "vicidial_exporter_journal_replay_bytes 17",  // the advance, written after the snapshot
            "vicidial_exporter_journal_corrupt_records_total 0",
            "vicidial_exporter_snapshots_corrupt_total 0",
            "vicidial_exporter_snapshots_written_total 1",
            "vicidial_exporter_snapshot_failures_total 0",
            "vicidial_exporter_snapshot_last_success_timestamp_seconds \(Int(snapshot.lastSuccessTime!))",
            "vicidial_exporter_snapshot_size_bytes \(snapshot.lastSizeBytes!)",
            "vicidial_exporter_snapshot_duration_seconds 0",  // the test's clock stands still
            "vicidial_exporter_recovery_duration_seconds 0.25",
            "vicidial_exporter_recovery_records_replayed 0",
        ])
    }

    @Test func aFullDiskAnswers503CountedAndFreezesTheLedgerUntilSpaceReturns() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let shown = try runThroughAFullDisk()
        // A restart (the first exporter and its lock are gone) rebuilds exactly what was shown.
        let restarted = ExporterHarness(recovering: true)
        _ = try resume(restarted)
        #expect(restarted.samples(at: 110).series("vicidial_agent_state_seconds_total") == shown)
    }

    /// Returns the state seconds shown at the end.
    private func runThroughAFullDisk() throws -> [String] {
        let harness = ExporterHarness(recovering: true)
        harness.exporter.markReady()
        let persistence = try resume(harness)
        defer { persistence.journal.close() }
        pushPausedSession(harness)
        let pausedAt60 = harness.samples(at: 60).series("vicidial_agent_state_seconds_total")
        #expect(pausedAt60.contains(#"vicidial_agent_state_seconds_total{user="6666",state="pause"} 30"#))

        fileSystem.inject(.full(bytesLeft: 0))
        let refused = harness.push("state_ready", "READY", counter: 4, at: 70)
        #expect(refused.status == 503)
        #expect(refused.text == "storage failing, event not stored: write \(path)/journal-00000001: No space left on device\n")
        let ready = harness.get("/-/ready")
        #expect(ready.status == 503)
        #expect(ready.text == "Not ready: storage failing: write \(path)/journal-00000001: No space left on device\n")
        // The scrape cannot record an advance, so the ledger stays where the journal is.
        let frozen = harness.samples(at: 90)
        #expect(frozen.series("vicidial_agent_state_seconds_total") == pausedAt60)
        #expect(frozen.contains(#"vicidial_exporter_events_rejected_total{reason="storage_unavailable"} 1"#))
        #expect(frozen.contains("vicidial_exporter_storage_healthy 0"))
        #expect(!harness.exporter.store.probeStorage())

        fileSystem.inject(nil)  // space returns
        #expect(harness.exporter.store.probeStorage())
        #expect(harness.get("/-/ready").status == 200)
        #expect(harness.push("state_ready", "READY", counter: 4, at: 100).status == 200)
        let after = harness.samples(at: 110)
        #expect(after.contains(#"vicidial_agent_state_seconds_total{user="6666",state="pause"} 70"#))
        #expect(after.contains("vicidial_exporter_storage_healthy 1"))
        // The refused event, the frozen scrape's advance and the first probe.
        #expect(after.contains("vicidial_exporter_journal_failures_total 3"))
        return after.series("vicidial_agent_state_seconds_total")
    }
}
