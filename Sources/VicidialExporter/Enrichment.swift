import AgentLedger
import Logging
import Synchronization
import VicidialDatabase

/// Where a scrape reads what enrichment knows: `Enrichment` (the poller), or a fixed status in
/// tests that render a page without a database.
public protocol EnrichmentSource: Sendable {
    var current: Enrichment.Status { get }
}

/// Enrichment from VICIdial's database (`--vicidial.db-dsn`): a poller on a thread of its own,
/// and what it last learned, for scrapes to render.
///
/// Ingest and scrapes never wait on the database: they read the last status under a short lock.
/// A failed poll (database down, slow, refusing the user, a table missing) sets `up` to false,
/// counts its reason and keeps the last good directory; the next attempts back off
/// (`PollBackoff`), and the first good poll after them brings everything back by itself.
public final class Enrichment: EnrichmentSource {
    public struct Status: Sendable {
        /// Whether the last poll succeeded.
        public var up = false
        public var lastPollDurationSeconds: Double?
        /// Failed polls by reason, every reason present from zero.
        public var errors = Dictionary(uniqueKeysWithValues: DatabaseError.Reason.allCases.map { ($0, UInt64(0)) })
        /// As of the last good poll; empty until one.
        public var directory = AgentDirectory()

        public init() {}
    }

    private let status = Mutex(Status())
    private let thread: PeriodicThread

    /// Starts polling every `interval` seconds (the first poll after one interval). `password`
    /// is asked for at each connect. Each poll reads what `store`'s agents need (their
    /// `vicidial_users` rows; the pause-code rows of those paused or with a pause awaiting its
    /// codes) and gives the pause-code rows to `store` (`LedgerStore.learnPauseCodes`).
    public init(
        dsn: DatabaseDSN, interval: Double, password: @escaping @Sendable () throws(DatabaseError) -> String,
        store: LedgerStore, clock: any LedgerClock, logger: Logger
    ) {
        thread = PeriodicThread(interval: interval)
        let backoff = PollBackoff(interval: interval)
        // Each read and the connect wait at most one interval (the client may retry a read twice more).
        let timeout = Int(interval.rounded(.up))
        thread.start { [self] in
            let reader = EnrichmentReader(dsn: dsn, timeout: timeout, password: password)
            var failures = 0
            var nextAttempt = -Double.infinity
            return {
                let started = clock.now()
                guard started >= nextAttempt else { return }
                do throws(DatabaseError) {
                    let result = try reader.poll(Self.request(from: store.view()))
                    store.learnPauseCodes(result.pauseCodeRows, polledAt: started)
                    let duration = clock.now() - started
                    self.status.withLock {
                        $0.up = true
                        $0.lastPollDurationSeconds = duration
                        $0.directory = result.directory
                    }
                    if failures > 0 {
                        logger.info("VICIdial's database answers again: enrichment resumes", metadata: ["dsn": "\(dsn)"])
                    }
                    failures = 0
                } catch {
                    let duration = clock.now() - started
                    self.status.withLock {
                        $0.up = false
                        $0.lastPollDurationSeconds = duration
                        $0.errors[error.reason, default: 0] += 1
                    }
                    failures += 1
                    nextAttempt = started + backoff.delay(afterFailures: failures)
                    if failures == 1 {
                        logger.error(
                            "cannot read VICIdial's database: enrichment keeps its last values, retrying with backoff",
                            metadata: ["dsn": "\(dsn)", "reason": "\(error.reason.rawValue)", "error": "\(error.message)"])
                    }
                }
            }
        }
    }

    /// What a poll reads for the agents `view` holds (read outside the ledger's lock).
    static func request(from view: LedgerSnapshot) -> EnrichmentReader.Request {
        var request = EnrichmentReader.Request(trackedUsers: [], pauseCodeUsers: [:])
        request.trackedUsers.reserveCapacity(view.agentCount)
        view.forEachAgent { agent in
            request.trackedUsers.append(agent.user)
            if agent.awaitsPauseCodes { request.pauseCodeUsers[agent.user] = agent.pauseCodeRowIDs }
        }
        return request
    }

    public var current: Status { status.withLock { $0 } }

    /// Stops polling and waits for a poll in progress (bounded by its timeouts).
    public func stop() { thread.stop() }
}
