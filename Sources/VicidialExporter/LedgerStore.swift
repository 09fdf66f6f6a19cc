import AgentEvents
import AgentLedger
import Synchronization

/// The ledger behind a lock, with the clock that times it. Ingest and scrapes hold the lock
/// only to update or copy (copy-on-write) the ledger; formatting happens outside it, so a
/// scrape never stalls ingest for longer than the copy.
public final class LedgerStore: Sendable {
    private let ledger: Mutex<AgentLedger>
    private let clock: any LedgerClock

    public init(configuration: LedgerConfiguration, clock: any LedgerClock) {
        self.ledger = Mutex(AgentLedger(configuration: configuration))
        self.clock = clock
    }

    public func ingest(_ event: AgentEvent) -> AgentLedger.IngestResult {
        let now = clock.now()
        return ledger.withLock { $0.ingest(event, receivedAt: now) }
    }

    public func snapshot() -> LedgerSnapshot {
        let now = clock.now()
        return ledger.withLock { $0.snapshot(at: now) }
    }
}
