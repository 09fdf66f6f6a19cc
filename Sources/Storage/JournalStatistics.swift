/// What the journal did since the process started, for `vicidial_exporter_journal_*`.
public struct JournalStatistics: Sendable, Equatable {
    public var recordsWritten: UInt64 = 0
    public var bytesWritten: UInt64 = 0
    public var syncs: UInt64 = 0
    /// Writes or syncs that failed (each makes `/event` answer 503 until storage works again).
    public var failures: UInt64 = 0
    /// The current segment's index.
    public var segment: UInt64 = 0
    /// Journal bytes a restart would replay: written since the last snapshot that succeeded
    /// (or replayed at start and not yet covered by one).
    public var bytesSinceSnapshot: UInt64 = 0
    /// The failure storage is in now, nil while it works.
    public var fault: StorageError?

    public init() {}
}
