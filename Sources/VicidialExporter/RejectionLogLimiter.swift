/// Decides which rejected pushes reach the log at warn, so a misspelled Agent Push URL (every
/// push of every agent answered 400) is seen at the default level without a line per push:
/// the first rejection of each reason is logged at once with its detail; further ones are
/// counted and logged as one summary at most once per `interval`. A reason quiet for a whole
/// interval is logged at once again. Pure: the caller passes the time and does the logging.
struct RejectionLogLimiter: Sendable {
    static let interval = 60.0

    enum Line: Equatable, Sendable {
        /// The first rejection of `reason` in an interval: what the sender was told, and who it was.
        case first(reason: String, detail: String, client: String)
        /// Rejections counted since `since` and not logged one by one, by reason, sorted.
        case summary(counts: [Count], seconds: Double)
    }

    struct Count: Equatable, Sendable {
        var reason: String
        var count: Int
    }

    /// When each reason last reached the log (alone or in a summary).
    private var lastLogged: [String: Double] = [:]
    /// Rejections held for the next summary, and when the first of them came.
    private var pending: [String: Int] = [:]
    private var pendingSince: Double?

    /// A push rejected at `time`: what to log now (a summary that fell due first, then this
    /// push's own line when its reason is not already being summarised).
    mutating func rejected(reason: String, detail: String, client: String, at time: Double) -> [Line] {
        var lines = due(at: time)
        if let last = lastLogged[reason], time - last < Self.interval {
            pending[reason, default: 0] += 1
            if pendingSince == nil { pendingSince = time }
        } else {
            lastLogged[reason] = time
            lines.append(.first(reason: reason, detail: detail, client: client))
        }
        return lines
    }

    /// The summary, once its interval is over; called at every rejection and scrape.
    mutating func due(at time: Double) -> [Line] {
        guard let since = pendingSince, time - since >= Self.interval else { return [] }
        let counts = pending.map { Count(reason: $0.key, count: $0.value) }.sorted { $0.reason < $1.reason }
        for reason in pending.keys { lastLogged[reason] = time }
        pending = [:]
        pendingSince = nil
        return [.summary(counts: counts, seconds: time - since)]
    }
}
