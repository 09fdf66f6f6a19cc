#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real clocks the run is paced by: the wall clock for epochs, the monotonic one for pacing.
enum RealClock {
    static func wall() -> Double { now(CLOCK_REALTIME) }

    static func monotonic() -> Double { now(CLOCK_MONOTONIC) }

    /// Sleeps until the monotonic clock reads `time`.
    static func sleep(until time: Double) {
        while true {
            let remaining = time - monotonic()
            guard remaining > 0 else { return }
            var duration = timespec(tv_sec: Int(remaining), tv_nsec: Int((remaining - remaining.rounded(.down)) * 1e9))
            nanosleep(&duration, nil)
        }
    }

    private static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
