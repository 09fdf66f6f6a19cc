import CMicroHTTPD
import Dispatch
import Synchronization

/// Requests answered away from libmicrohttpd's pool threads.
///
/// A pool thread serves many connections; while its handler runs, the others wait. A 10,000-agent
/// scrape renders for tens of milliseconds, so every push on its thread's connections would wait
/// that long. For the paths configured here the connection is suspended, the handler runs on a
/// thread of its own, and the connection is resumed with the answer: the pool thread goes on
/// serving the others meanwhile.
///
/// At most `width` offloaded requests run at once (the pool's thread count, as many as ran
/// before they were offloaded): a client opening hundreds of connections to the path must not
/// get hundreds of renders (and pages in memory) at once, and a handler that answers "busy"
/// while one of its kind runs (a bcrypt check) must still see the others side by side, or a
/// flood of them would queue up in front of the scraper. Once `closeAndWait()` is called,
/// requests are answered inline again, so that no connection is suspended when the daemon
/// stops (libmicrohttpd aborts the process if one is).
final class OffloadedRequests: Sendable {
    private let paths: Set<String>
    private let running = DispatchGroup()
    /// Takes one request at a time and waits there for a free slot, so at most one thread waits.
    private let admission = DispatchQueue(label: "http-offloaded-admission")
    private let workers = DispatchQueue(label: "http-offloaded-requests", attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let closed = Mutex(false)

    init(paths: Set<String>, width: Int) {
        self.paths = paths
        self.slots = DispatchSemaphore(value: max(width, 1))
    }

    func covers(_ path: String) -> Bool { paths.contains(path) }

    /// Suspends `connection`, runs `work` on the offload thread, keeps its answer in `answer` and
    /// resumes the connection, whose next access-handler call queues the answer. Returns false,
    /// having done nothing, once closed: the caller answers inline then. Must be called from the
    /// access handler (the only place MHD allows a suspend).
    func run(connection: OpaquePointer, answer: DeferredAnswer, _ work: @escaping @Sendable () -> HTTPResponse) -> Bool {
        // Entered under the lock that `close` takes: a request either is counted before the
        // close (and `closeAndWait` waits for it) or sees the close.
        let accepted = closed.withLock { closed in
            if !closed { running.enter() }
            return !closed
        }
        guard accepted else { return false }
        MHD_suspend_connection(connection)
        let connectionAddress = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection)))
        admission.async { [slots, workers, running] in
            slots.wait()
            workers.async {
                answer.set(work())
                slots.signal()
                // The daemon is not stopped before this (closeAndWait), so the connection still exists.
                MHD_resume_connection(OpaquePointer(bitPattern: connectionAddress))
                running.leave()
            }
        }
        return true
    }

    /// Stops offloading, then waits until every offloaded request has resumed its connection:
    /// MHD must not be stopped with a connection suspended.
    func closeAndWait() {
        closed.withLock { $0 = true }
        running.wait()
    }
}

/// The answer an offloaded request leaves for its connection's resumed access-handler call.
final class DeferredAnswer: Sendable {
    private let response = Mutex<HTTPResponse?>(nil)

    func set(_ answer: HTTPResponse) { response.withLock { $0 = answer } }

    func take() -> HTTPResponse? { response.withLock { $0.take() } }
}
