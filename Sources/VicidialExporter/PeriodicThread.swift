import Dispatch
import Storage
import Synchronization

/// A background thread that runs a task every `interval` seconds from `start` until `stop()`.
/// `makeTask` is called once, on the thread, and the task it returns is called at each tick:
/// state the task keeps between ticks lives in its closure and never leaves the thread.
final class PeriodicThread: Sendable {
    private let interval: Double
    private let stopping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(interval: Double) {
        self.interval = interval
    }

    /// Starts the thread; call once.
    func start(_ makeTask: @escaping @Sendable () -> () -> Void) {
        BackgroundThread.start { [self] in
            defer { finished.signal() }
            let task = makeTask()
            while !stopping.load(ordering: .acquiring) {
                _ = wake.wait(timeout: .now() + .milliseconds(Int(interval * 1_000)))
                if stopping.load(ordering: .acquiring) { return }
                task()
            }
        }
    }

    /// Stops the loop and waits for it (after `start`): a task that is running is finished first.
    func stop() {
        stopping.store(true, ordering: .releasing)
        wake.signal()
        finished.wait()
    }
}
