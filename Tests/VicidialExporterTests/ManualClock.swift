import Synchronization
import VicidialExporter

/// A clock the test moves by hand, so every receive and scrape time is exact.
final class ManualClock: LedgerClock {
    private let time: Mutex<Double>

    init(_ time: Double) {
        self.time = Mutex(time)
    }

    func now() -> Double { time.withLock { $0 } }

    func set(_ newTime: Double) { time.withLock { $0 = newTime } }
}
