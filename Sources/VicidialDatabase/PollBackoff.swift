/// How long the poller waits after failed polls: the poll interval after the first failure,
/// doubling with each further one, up to `maximum` (or the interval, if longer). A database
/// that is down is not hammered, and one that returns is found within `maximum`.
public struct PollBackoff: Sendable, Equatable {
    public static let maximum = 60.0

    public let interval: Double

    public init(interval: Double) { self.interval = interval }

    /// Seconds from a failed poll to the next attempt, after `failures` failures in a row (>= 1).
    public func delay(afterFailures failures: Int) -> Double {
        let doubled = interval * Double(1 << min(max(failures - 1, 0), 16))
        return min(doubled, max(Self.maximum, interval))
    }
}
