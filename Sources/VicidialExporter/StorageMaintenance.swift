import Logging
import Storage

/// The storage's background work, once a second: a failing journal is retried (so writing
/// resumes by itself when space returns), and a snapshot is written every `interval`, or
/// sooner when the journal since the last one passes `maxJournalBytes`, and at the first tick
/// after a start that replayed journal (so restarts in a row do not replay more each time).
public final class StorageMaintenance: Sendable {
    public static let tick = 1.0

    private let store: LedgerStore
    private let persistence: Persistence
    private let interval: Double
    private let maxJournalBytes: UInt64
    private let clock: any LedgerClock
    private let logger: Logger
    private let thread = PeriodicThread(interval: tick)

    public init(
        store: LedgerStore, persistence: Persistence, interval: Double, maxJournalBytes: UInt64, clock: any LedgerClock,
        logger: Logger
    ) {
        self.store = store
        self.persistence = persistence
        self.interval = interval
        self.maxJournalBytes = maxJournalBytes
        self.clock = clock
        self.logger = logger
        thread.start { [self] in maintain() }
    }

    /// Stops the loop and waits for it (a snapshot being written is finished first).
    public func stop() {
        thread.stop()
    }

    /// The task run at each tick; its state lives between ticks in the closure.
    private func maintain() -> () -> Void {
        var lastSnapshot = persistence.recovery.bytesReplayed > 0 ? -Double.infinity : clock.now()
        var failing: StorageError?
        return { [self] in
            let journal = persistence.journal
            if let fault = journal.statistics.fault {
                if failing == nil {
                    logger.error("storage failing: /event answers 503 until it works again", metadata: ["error": "\(fault)"])
                }
                failing = fault
                if store.probeStorage() {
                    logger.info("storage works again: events are taken", metadata: ["was": "\(fault)"])
                    failing = nil
                }
            } else if let was = failing {
                logger.info("storage works again: events are taken", metadata: ["was": "\(was)"])
                failing = nil
            }
            let now = clock.now()
            let pending = journal.statistics.bytesSinceSnapshot
            if failing == nil, pending > 0, now - lastSnapshot >= interval || pending >= maxJournalBytes {
                store.writeSnapshot()
                lastSnapshot = now
            }
        }
    }
}
