import AgentEvents
import Synchronization

/// The exporter's own counters that the ledger does not keep: requests, rejections, scrapes.
public final class SelfMetrics: Sendable {
    /// Why an /event request was refused, beyond the decoder's reasons.
    public enum ExtraRejection {
        public static let bodyTooLarge = "body_too_large"
        public static let tooManyAgents = "too_many_agents"
        /// 503: the journal could not store the event (full disk, read-only, I/O error).
        public static let storageUnavailable = "storage_unavailable"
        /// 503: replaying the journal at start, or shutting down.
        public static let notReady = "not_ready"
        /// 403: the client address is not in `--ingest.allowed-sources`.
        public static let forbiddenSource = "forbidden_source"
    }

    /// Every rejection reason, shown from zero so alerts can `rate()` them from the start.
    public static let rejectionReasons =
        EventRejection.allReasons + [
            ExtraRejection.bodyTooLarge, ExtraRejection.tooManyAgents, ExtraRejection.storageUnavailable, ExtraRejection.notReady,
            ExtraRejection.forbiddenSource,
        ]

    public struct RequestKey: Hashable, Sendable {
        public var route: String
        public var code: Int
    }

    public struct Counts: Sendable {
        public var eventsReceived: UInt64 = 0
        public var rejections: [String: UInt64] = Dictionary(uniqueKeysWithValues: SelfMetrics.rejectionReasons.map { ($0, 0) })
        public var requests: [RequestKey: UInt64] = [:]
        public var lastScrapeDurationSeconds: Double?
        public var lastScrapeSizeBytes: Int?
    }

    private let counts = Mutex(Counts())

    public init() {}

    public func eventReceived() {
        counts.withLock { $0.eventsReceived += 1 }
    }

    public func eventRejected(reason: String) {
        counts.withLock { $0.rejections[reason, default: 0] += 1 }
    }

    public func requestServed(route: String, code: Int) {
        counts.withLock { $0.requests[RequestKey(route: route, code: code), default: 0] += 1 }
    }

    public func scrapeRendered(durationSeconds: Double, sizeBytes: Int) {
        counts.withLock {
            $0.lastScrapeDurationSeconds = durationSeconds
            $0.lastScrapeSizeBytes = sizeBytes
        }
    }

    public var current: Counts { counts.withLock { $0 } }
}
