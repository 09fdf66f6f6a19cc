/// What compaction removes from the storage directory, decided from the files' indexes and
/// modification times alone (pure: `StorageDirectory.compact(now:)` lists, stats and removes).
///
/// Kept, always: the two newest snapshots and every segment from the older of them on, so a
/// damaged newest snapshot still has a complete fallback. With a retention: every segment last
/// written within it, and a *base* snapshot at or before the oldest of those, with every
/// segment from the base on, so `backfill` can replay that history from a known ledger. Older
/// snapshots are thinned to the oldest of each UTC hour (by modification time): those are the
/// bases the window moves on to as it slides, so at most about an hour more than the retention
/// is kept. A retention of 0 keeps only what the two newest snapshots need.
public enum RetentionPlan {
    /// Snapshots kept whatever the retention: the newest, and the one before it.
    public static let snapshotsKept = 2

    /// A journal segment or snapshot: its index and when it was last written (Unix seconds).
    public struct StoredFile: Sendable, Equatable {
        public var index: UInt64
        public var modified: Double

        public init(index: UInt64, modified: Double) {
            self.index = index
            self.modified = modified
        }
    }

    /// The names of the snapshots and segments to remove, sorted.
    public static func removals(snapshots: [StoredFile], segments: [StoredFile], now: Double, retention: Double) -> [String] {
        let newestFirst = snapshots.sorted { $0.index > $1.index }
        guard newestFirst.count >= snapshotsKept else { return [] }
        let olderOfTheNewest = newestFirst[snapshotsKept - 1].index

        // The oldest snapshot of each UTC hour, among those before the two newest.
        var hourly: [Double: StoredFile] = [:]
        for snapshot in newestFirst.dropFirst(snapshotsKept) {
            let hour = (snapshot.modified / 3600).rounded(.down)
            if let kept = hourly[hour], (kept.modified, kept.index) < (snapshot.modified, snapshot.index) { continue }
            hourly[hour] = snapshot
        }
        let candidates = Set(newestFirst.prefix(snapshotsKept).map(\.index)).union(hourly.values.map(\.index))

        // Where replay of the retained history starts; nil when no snapshot is old enough (the
        // history starts at the first segment, which is then kept with all after it).
        var base: UInt64? = olderOfTheNewest
        let retained = retention > 0 ? segments.filter { $0.modified >= now - retention } : []
        if let oldestRetained = retained.map(\.index).min(), oldestRetained < olderOfTheNewest {
            base = candidates.filter { $0 <= oldestRetained }.max()
        }

        var removed: [String] = []
        for snapshot in newestFirst where !candidates.contains(snapshot.index) || snapshot.index < base ?? 0 {
            removed.append(StorageFileName.snapshot(snapshot.index))
        }
        for segment in segments where segment.index < base ?? 0 {
            removed.append(StorageFileName.journal(segment.index))
        }
        return removed.sorted()
    }
}
