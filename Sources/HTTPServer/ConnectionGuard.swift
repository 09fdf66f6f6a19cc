import CMicroHTTPDShim
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Applies `ConnectionBook`'s rules to libmicrohttpd's connections: MHD's callbacks report
/// connections opening, requests arriving and answers sent; a watchdog thread sweeps every
/// `sweepInterval`. A connection is closed by `shutdown(2)` on its socket, which MHD then sees
/// as a hang-up and cleans up on its own thread.
///
/// Safe against socket reuse: MHD reports a connection closed (`closed`, which takes the lock)
/// before it closes the socket, and every `shutdown` happens under that same lock, so a socket
/// number is never shut down after MHD has let go of it.
final class ConnectionGuard: Sendable {
    static let sweepInterval = 0.1

    private let book: Mutex<ConnectionBook>
    private let statistics: HTTPServerStatistics
    private let stopping = Atomic<Bool>(false)
    /// The watchdog thread, nil once joined.
    private let watchdog = Mutex<pthread_t?>(nil)

    init(limits: ConnectionBook.Limits, statistics: HTTPServerStatistics) {
        self.book = Mutex(ConnectionBook(limits: limits))
        self.statistics = statistics
        var thread = pthread_t()
        // The thread holds a reference until it returns, which `stopWatchdog` waits for.
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<ConnectionGuard>.fromOpaque(context!).takeRetainedValue().watch()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        precondition(created == 0, "cannot start the connection watchdog thread: error \(created)")
        watchdog.withLock { $0 = thread }
    }

    func opened(_ key: UInt, socket: Int32, address: String) {
        let now = monotonicSeconds()
        book.withLock { book in
            let shutdowns = book.opened(key, socket: socket, address: address, at: now)
            perform(shutdowns)
            statistics.connectionsChanged(open: book.live)
        }
    }

    func requestBegan(_ key: UInt) {
        book.withLock { $0.requestBegan(key) }
    }

    func headersArrived(_ key: UInt) {
        book.withLock { $0.headersArrived(key) }
    }

    /// The connection's request has arrived whole; returns whether its handler may run
    /// (`ConnectionBook.requestArrived`).
    func requestArrived(_ key: UInt, path: String) -> Bool {
        book.withLock { $0.requestArrived(key, path: path) }
    }

    func answerQueued(_ key: UInt) {
        let now = monotonicSeconds()
        book.withLock { perform($0.answerQueued(key, at: now)) }
    }

    func answerSent(_ key: UInt) {
        let now = monotonicSeconds()
        book.withLock { $0.answerSent(key, at: now) }
    }

    func closed(_ key: UInt) {
        book.withLock { book in
            book.closed(key)
            statistics.connectionsChanged(open: book.live)
        }
    }

    /// Connections handling a request or writing an answer (`ConnectionBook.busy`).
    var busy: Int { book.withLock { $0.busy } }

    /// Shuts every connection down and stops the watchdog: what is left for MHD's stop is quick.
    func shutDownAll() {
        stopWatchdog()
        book.withLock { book in
            for socket in book.shutDownAll() { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    /// Stops the watchdog thread and waits for it (at most one sweep interval). Idempotent.
    func stopWatchdog() {
        stopping.store(true, ordering: .releasing)
        watchdog.withLock { thread in
            guard let running = thread else { return }
            pthread_join(running, nil)
            thread = nil
        }
    }

    private func watch() {
        var interval = timespec(tv_sec: 0, tv_nsec: Int(Self.sweepInterval * 1e9))
        while !stopping.load(ordering: .acquiring) {
            nanosleep(&interval, nil)
            sweep()
        }
    }

    private func sweep() {
        let now = monotonicSeconds()
        book.withLock { book in
            let waiting = book.waiting
            var closed = [UInt8](repeating: 0, count: waiting.count)
            let sockets = waiting.map(\.socket)
            if !waiting.isEmpty { mhd_shim_peers_closed(sockets, sockets.count, &closed) }
            let peerClosed = Set(zip(waiting, closed).compactMap { $1 != 0 ? $0.key : nil })
            perform(book.sweep(at: now, peerClosed: peerClosed))
            statistics.connectionsChanged(open: book.live)
        }
    }

    /// Called with the book locked (see the type's comment).
    private func perform(_ shutdowns: ConnectionBook.Shutdowns) {
        for (socket, reason) in shutdowns {
            // Counted first, so a client that sees the close also sees it counted.
            statistics.connectionClosed(reason)
            shutdown(socket, Int32(SHUT_RDWR))
        }
    }
}

/// Seconds on a clock that never jumps (CLOCK_MONOTONIC).
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
