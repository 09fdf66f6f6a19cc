import Exposition
import Storage

/// What a scrape shows of the storage: copied out of `Persistence` at scrape time.
struct StorageStatus: Sendable {
    var journal: JournalStatistics
    var snapshots: Persistence.SnapshotStatistics
    var recovery: RecoveryReport
    var recoverySeconds: Double

    init(_ persistence: Persistence) {
        journal = persistence.journal.statistics
        snapshots = persistence.snapshotStatistics
        recovery = persistence.recovery
        recoverySeconds = persistence.recoverySeconds
    }
}

/// `vicidial_exporter_storage_*`, `_journal_*`, `_snapshot*` and `_recovery_*`; absent when
/// persistence is off (`--storage.path=""`).
extension ExpositionWriter {
    mutating func writeStorageMetrics(_ status: StorageStatus) {
        family(
            "vicidial_exporter_storage_healthy", type: .gauge,
            help: "1 while the journal takes writes; 0 while it fails (full disk, read-only, I/O error) and /event answers 503.")
        gauge([:], status.journal.fault == nil ? 1 : 0)

        family("vicidial_exporter_journal_records_written", type: .counter, help: "Records appended to the journal (events and scrape advances).")
        counter([:], Double(status.journal.recordsWritten))

        family("vicidial_exporter_journal_bytes_written", type: .counter, help: "Bytes appended to the journal.")
        counter([:], Double(status.journal.bytesWritten))

        family("vicidial_exporter_journal_syncs", type: .counter, help: "fdatasync calls that made journal records durable.")
        counter([:], Double(status.journal.syncs))

        family(
            "vicidial_exporter_journal_failures", type: .counter,
            help: "Journal writes or syncs that failed; each made an /event answer 503 (reason storage_unavailable).")
        counter([:], Double(status.journal.failures))

        family(
            "vicidial_exporter_journal_replay_bytes", type: .gauge,
            help: "Journal bytes written since the last snapshot: what a restart would replay.")
        gauge([:], Double(status.journal.bytesSinceSnapshot))

        family(
            "vicidial_exporter_journal_corrupt_records", type: .counter,
            help: "Damaged places found in the journal at start (torn, zero-filled or checksum-failing tails, missing "
                + "segments); the journal was cut at the last good record before each.")
        counter([:], Double(status.recovery.damage.count))

        family(
            "vicidial_exporter_snapshots_corrupt", type: .counter,
            help: "Snapshots found unreadable at start and passed over for an older one (or a full replay).")
        counter([:], Double(status.recovery.rejectedSnapshots.count))

        family("vicidial_exporter_snapshots_written", type: .counter, help: "Snapshots of the ledger written since start.")
        counter([:], Double(status.snapshots.written))

        family("vicidial_exporter_snapshot_failures", type: .counter, help: "Snapshots that could not be written.")
        counter([:], Double(status.snapshots.failures))

        family(
            "vicidial_exporter_snapshot_last_success_timestamp_seconds", type: .gauge,
            help: "When the last snapshot was written (Unix seconds).")
        if let time = status.snapshots.lastSuccessTime { gauge([:], time) }

        family("vicidial_exporter_snapshot_size_bytes", type: .gauge, help: "Size of the last snapshot written.")
        if let size = status.snapshots.lastSizeBytes { gauge([:], Double(size)) }

        family(
            "vicidial_exporter_snapshot_duration_seconds", type: .gauge,
            help: "Seconds the last snapshot took to encode and write (outside the ledger's lock).")
        if let seconds = status.snapshots.lastDurationSeconds { gauge([:], seconds) }

        family(
            "vicidial_exporter_recovery_duration_seconds", type: .gauge,
            help: "Seconds the start took to load the snapshot and replay the journal.")
        gauge([:], status.recoverySeconds)

        family("vicidial_exporter_recovery_records_replayed", type: .gauge, help: "Journal records replayed at start.")
        gauge([:], Double(status.recovery.recordsReplayed))
    }
}
