/// What a start found in the storage directory and rebuilt from it; logged once, and the
/// damage counted in `vicidial_exporter_journal_corrupt_records_total`.
public struct RecoveryReport: Sendable, Equatable {
    /// The segment the loaded snapshot precedes; nil when no snapshot was usable.
    public var snapshotSegment: UInt64?
    /// Snapshots that could not be read (renamed `.corrupt`), newest first, with why.
    public var rejectedSnapshots: [String] = []
    public var segmentsReplayed = 0
    public var recordsReplayed = 0
    /// Journal bytes replayed (headers excluded): what the next start would replay again until
    /// a snapshot covers it.
    public var bytesReplayed: UInt64 = 0
    /// One entry per place the journal was cut: the file, the offset kept, and why.
    public var damage: [Damage] = []
    /// The journal did not reach back to the loaded state (no usable snapshot, and segments
    /// before the oldest one were already compacted away): totals before it are missing.
    public var historyMissing = false
    /// The segment the journal writes next.
    public var nextSegment: UInt64 = 1

    public struct Damage: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        /// Bytes read before the damage; the rest is cut off in the last segment, and left in
        /// the file (but not replayed) in an earlier one.
        public var keptBytes: Int
        public var droppedBytes: Int
        public var reason: String

        public var description: String { "\(file): \(reason) at byte \(keptBytes), \(droppedBytes) bytes dropped" }
    }

    public init() {}
}
