import AgentEvents
import AgentLedger
import Storage
import Synchronization

/// The ledger behind a lock, with the clock that times it and, when persistence is on, the
/// journal that records every operation on it.
///
/// An event is written to the journal and applied to the ledger under the same lock, so the
/// journal's order is the ledger's order and replay rebuilds exactly this ledger; the wait for
/// the sync (`FsyncPolicy.always`) happens outside the lock, where concurrent requests share it.
/// An event the journal could not write is not applied: what the exporter shows is what a
/// restart would rebuild (short of a power cut after a failed sync). A scrape holds the lock to
/// journal its advance, attend the agents that are due and take a snapshot that shares the
/// agents' storage (no walk over every agent); it renders outside the lock.
public final class LedgerStore: Sendable {
    public enum Phase: Sendable, Equatable {
        /// Replaying the journal: events and scrapes are answered 503.
        case recovering
        case running
        /// Shutting down: the last snapshot is being written.
        case stopped
    }

    public enum IngestOutcome: Sendable, Equatable {
        case taken(AgentLedger.IngestResult)
        case notRunning(Phase)
        /// The journal could not write the event: it was not applied.
        case storageFailed(StorageError)
        /// Under `always`: the event was written and applied, but the sync that would make it
        /// survive a power cut failed.
        case syncFailed(StorageError)
    }

    private struct Books {
        var ledger: AgentLedger
        var persistence: Persistence?
        var phase: Phase
    }

    private let books: Mutex<Books>
    /// Whether `books` has a journal, read without the lock (it is set once, on resume).
    private let journaling = Atomic<Bool>(false)
    private let clock: any LedgerClock
    /// One snapshot at a time (the periodic one and the one at shutdown).
    private let snapshotting = Mutex<Void>(())

    /// A store that runs in memory at once (no journal), or that waits in `.recovering` for
    /// `resume(from:persistence:)`.
    public init(configuration: LedgerConfiguration, clock: any LedgerClock, recovering: Bool = false) {
        self.books = Mutex(Books(ledger: AgentLedger(configuration: configuration), persistence: nil, phase: recovering ? .recovering : .running))
        self.clock = clock
    }

    /// Ends recovery: the replayed ledger, and the storage that journals from now on.
    public func resume(from ledger: AgentLedger, persistence: Persistence?) {
        books.withLock { books in
            books.ledger = ledger
            books.persistence = persistence
            books.phase = .running
        }
        journaling.store(persistence != nil, ordering: .relaxed)
    }

    public var phase: Phase { books.withLock { $0.phase } }

    public var persistence: Persistence? { books.withLock { $0.persistence } }

    public func ingest(_ event: AgentEvent) -> IngestOutcome {
        let now = clock.now()
        // Encoded before the lock: under it, only the write and the ledger's own work.
        let frame = journaling.load(ordering: .relaxed) ? Journal.Frame(.event(event, receivedAt: now)) : nil
        let step = books.withLock { books -> (IngestOutcome, journal: Journal?, sequence: UInt64) in
            guard books.phase == .running else { return (.notRunning(books.phase), nil, 0) }
            var sequence: UInt64 = 0
            if let journal = books.persistence?.journal {
                do throws(StorageError) {
                    sequence = try journal.append(frame ?? Journal.Frame(.event(event, receivedAt: now)))
                } catch {
                    return (.storageFailed(error), nil, 0)
                }
            }
            return (.taken(books.ledger.ingest(event, receivedAt: now)), books.persistence?.journal, sequence)
        }
        guard let journal = step.journal else { return step.0 }
        do throws(StorageError) {
            try journal.waitUntilDurable(step.sequence)
        } catch {
            return .syncFailed(error)
        }
        return step.0
    }

    /// The ledger brought up to now (`AgentLedger.snapshot(at:)`), journaled as an advance.
    /// While the journal fails, and once stopped, the ledger is shown as it stands, not
    /// advanced: what a scrape shows never runs ahead of what a restart would rebuild. nil while
    /// recovering.
    public func snapshot() -> LedgerSnapshot? {
        let now = clock.now()
        return books.withLock { books in
            switch books.phase {
            case .recovering: return nil
            case .stopped: return books.ledger.view()
            case .running: break
            }
            if let journal = books.persistence?.journal, (try? journal.append(.advance(to: now))) == nil {
                return books.ledger.view()
            }
            return books.ledger.snapshot(at: now)
        }
    }

    /// The ledger as it stands, for reading outside the lock (the lock is held only to share
    /// the agents): what enrichment asks about.
    public func view() -> LedgerSnapshot {
        books.withLock { $0.ledger.view() }
    }

    /// `AgentLedger.learnPauseCodes`, journaled like an event: a poll the journal could not
    /// record is not applied (the next poll brings the same rows again). Returns whether it was.
    @discardableResult
    public func learnPauseCodes(_ rows: [String: [PauseCodeRow]], polledAt: Double) -> Bool {
        let frame = journaling.load(ordering: .relaxed) ? Journal.Frame(.pauseCodes(rows, polledAt: polledAt)) : nil
        return books.withLock { books in
            guard books.phase == .running else { return false }
            if let journal = books.persistence?.journal {
                guard (try? journal.append(frame ?? Journal.Frame(.pauseCodes(rows, polledAt: polledAt)))) != nil else {
                    return false
                }
            }
            books.ledger.learnPauseCodes(rows, polledAt: polledAt)
            return true
        }
    }

    /// Retries a failed journal with an advance record (the same an idle scrape writes);
    /// returns whether the journal works again.
    @discardableResult
    public func probeStorage() -> Bool {
        let now = clock.now()
        return books.withLock { books in
            guard books.phase == .running, let journal = books.persistence?.journal else { return false }
            guard (try? journal.append(.advance(to: now))) != nil else { return false }
            books.ledger.advance(to: now)
            return true
        }
    }

    /// Writes a snapshot of the ledger and compacts the journal behind it; returns why it could
    /// not, nil on success. The lock is held only to end the journal segment (no sync) and copy
    /// the ledger; syncing, encoding and writing happen outside it. With `stopping`, the store
    /// takes no more events first (clean shutdown).
    @discardableResult
    public func writeSnapshot(stopping: Bool = false) -> String? {
        snapshotting.withLock { _ in writeSnapshotNow(stopping: stopping) }
    }

    private func writeSnapshotNow(stopping: Bool) -> String? {
        let taken = books.withLock { books -> Result<(AgentLedger, Journal.Rotation, Persistence), StorageError>? in
            if stopping { books.phase = .stopped }
            guard let persistence = books.persistence else { return nil }
            do throws(StorageError) {
                return .success((books.ledger, try persistence.journal.beginRotation(), persistence))
            } catch {
                return .failure(error)
            }
        }
        switch taken {
        case nil:
            return "persistence is off"
        case .failure(let error):
            return persistence?.snapshotFailed(reason: "cannot end the journal segment: \(error)")
        case .success(let (ledger, rotation, persistence)):
            do throws(StorageError) {
                try persistence.journal.finishRotation(rotation)
            } catch {
                return persistence.snapshotFailed(reason: "cannot sync the journal segment it covers: \(error)")
            }
            return persistence.writeSnapshot(ledger, after: rotation, clock: clock)
        }
    }
}
