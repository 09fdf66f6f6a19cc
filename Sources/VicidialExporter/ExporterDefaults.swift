import Storage

/// Defaults of the exporter's own settings that no configuration type holds.
public enum ExporterDefaults {
    /// `--storage.fsync`: sync the journal in the background within a second of each write. A
    /// crash of the exporter loses nothing acknowledged; a power cut at most the last second.
    /// `always` costs a sync per group of requests (see docs/reliability.md for the figures).
    public static let fsync = FsyncPolicy.interval(1)
    /// `--storage.snapshot-interval`, in seconds.
    public static let snapshotInterval = 300.0
    /// `--storage.retention`, in seconds: a whole day of journal, and a margin, is always there
    /// for `vicidial-exporter backfill`.
    public static let storageRetention = 26 * 3600.0
    /// A snapshot is also written once this much journal has piled up since the last one, so
    /// a busy center's restart never replays more than about this much.
    public static let snapshotAfterJournalBytes: UInt64 = 64 << 20
    /// At SIGTERM, requests being handled get this long to finish and be answered.
    public static let shutdownGrace = 5.0
    /// `--vicidial.db-poll-interval`, in seconds (at least 1).
    public static let databasePollInterval = 5.0
}
