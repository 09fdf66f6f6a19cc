import Synchronization

/// Pushes answered 2xx and pushes that failed, counted across the sender threads.
final class SendTally: Sendable {
    /// Failures logged one by one; beyond this only the count grows.
    static let loggedFailures = 10

    private let counts = Mutex((sent: 0, failed: 0))

    var sent: Int { counts.withLock { $0.sent } }
    var failed: Int { counts.withLock { $0.failed } }

    func recordSent() {
        counts.withLock { $0.sent += 1 }
    }

    func recordFailure(_ description: String) {
        let failures = counts.withLock {
            $0.failed += 1
            return $0.failed
        }
        if failures <= Self.loggedFailures { logLine("push failed: \(description)") }
        if failures == Self.loggedFailures { logLine("further failures are counted, not logged") }
    }
}
