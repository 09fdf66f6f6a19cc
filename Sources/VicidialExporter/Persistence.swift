import AgentLedger
import Logging
import Storage
import Synchronization

/// The exporter's storage once recovered: the directory, the journal writing into it, what
/// recovery found, and the snapshots written since.
public final class Persistence: Sendable {
    public struct SnapshotStatistics: Sendable, Equatable {
        public var written: UInt64 = 0
        public var failures: UInt64 = 0
        public var lastSuccessTime: Double?
        public var lastSizeBytes: Int?
        public var lastDurationSeconds: Double?
    }

    public let directory: StorageDirectory
    public let journal: Journal
    public let recovery: RecoveryReport
    public let recoverySeconds: Double
    private let snapshots = Mutex(SnapshotStatistics())
    private let logger: Logger

    public init(directory: StorageDirectory, journal: Journal, recovery: RecoveryReport, recoverySeconds: Double, logger: Logger) {
        self.directory = directory
        self.journal = journal
        self.recovery = recovery
        self.recoverySeconds = recoverySeconds
        self.logger = logger
    }

    public var snapshotStatistics: SnapshotStatistics { snapshots.withLock { $0 } }

    /// Writes `ledger` (everything before the segment `rotation` started) and compacts behind
    /// it; returns why it failed, nil on success.
    func writeSnapshot(_ ledger: AgentLedger, after rotation: Journal.Rotation, clock: any LedgerClock) -> String? {
        let started = clock.now()
        let size: Int
        do {
            size = try directory.writeSnapshot(ledger, before: rotation.segment)
        } catch {
            return snapshotFailed(reason: "\(error)")
        }
        journal.snapshotWritten(rotation)
        let finished = clock.now()
        snapshots.withLock { snapshots in
            snapshots.written += 1
            snapshots.lastSuccessTime = finished
            snapshots.lastSizeBytes = size
            snapshots.lastDurationSeconds = finished - started
        }
        logger.debug(
            "snapshot written", metadata: ["segment": "\(rotation.segment)", "bytes": "\(size)", "seconds": "\(finished - started)"])
        do {
            try directory.compact(now: finished)
        } catch {
            // The next snapshot compacts again; until then the directory holds a little more.
            logger.warning("cannot remove old journal segments", metadata: ["error": "\(error)"])
        }
        return nil
    }

    /// Counts and logs a failed snapshot; returns `reason`.
    func snapshotFailed(reason: String) -> String {
        snapshots.withLock { $0.failures += 1 }
        logger.error("cannot write a snapshot; the journal keeps growing until one succeeds", metadata: ["error": "\(reason)"])
        return reason
    }
}
