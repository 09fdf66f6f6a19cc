#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the exporter reads the time; injected so tests can drive it.
public protocol LedgerClock: Sendable {
    /// Unix time in seconds.
    func now() -> Double
}

/// The system's wall clock.
public struct SystemClock: LedgerClock {
    public init() {}

    public func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
