import CMicroHTTPD
import CMicroHTTPDShim
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on libmicrohttpd. It runs from `init` until `stop()` or
/// deinit, calling `handler` on its own threads for every request; the handler
/// decides status, headers and body for everything, oversized bodies included.
///
/// No client can starve the others (see `ConnectionBook`): a request must arrive whole within
/// the read timeout, a peer's close frees its connection at once, and past the connection
/// limits a new connection displaces the one that has waited (or written) longest.
public final class HTTPServer: Sendable {
    /// The port actually listened on (the kernel's pick when configured with 0).
    public let boundPort: UInt16
    /// Reached by MHD's callbacks through an unretained pointer; must outlive the daemon.
    private let dispatcher: RequestDispatcher
    /// The running daemon, nil once stopped.
    private let daemon: Mutex<OpaquePointer?>

    public init(
        configuration: HTTPServerConfiguration,
        statistics: HTTPServerStatistics = HTTPServerStatistics(),
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws(HTTPServerError) {
        let address = try ListenAddress(host: configuration.host)
        _ = try uint32(configuration.connectionLimit, "connectionLimit", minimum: 1)
        _ = try uint32(configuration.connectionsPerAddressLimit, "connectionsPerAddressLimit", minimum: 1)
        _ = try uint32(configuration.answersInFlightLimit, "answersInFlightLimit", minimum: 1)
        _ = try uint32(configuration.unreadAnswersPerAddressLimit, "unreadAnswersPerAddressLimit", minimum: 1)
        let timeout = try uint32(configuration.connectionTimeoutSeconds, "connectionTimeoutSeconds", minimum: 0)
        let threadPoolSize = try uint32(configuration.threadPoolSize, "threadPoolSize", minimum: 1)
        guard configuration.maxBodyBytes >= 0 else {
            throw .invalidConfiguration("maxBodyBytes must not be negative, got \(configuration.maxBodyBytes)")
        }
        guard configuration.readTimeoutSeconds > 0, configuration.readTimeoutSeconds.isFinite else {
            throw .invalidConfiguration("readTimeoutSeconds must be positive, got \(configuration.readTimeoutSeconds)")
        }

        let connections = ConnectionGuard(
            limits: ConnectionBook.Limits(
                maxConnections: configuration.connectionLimit,
                maxConnectionsPerAddress: configuration.connectionsPerAddressLimit,
                maxAnswersInFlight: configuration.answersInFlightLimit,
                maxUnreadAnswersPerAddress: configuration.unreadAnswersPerAddressLimit,
                readTimeout: configuration.readTimeoutSeconds),
            statistics: statistics)
        let dispatcher = RequestDispatcher(
            maxBodyBytes: configuration.maxBodyBytes, connections: connections, statistics: statistics, handler: handler)
        let dispatcherPointer = Unmanaged.passUnretained(dispatcher).toOpaque()
        var options = mhd_shim_daemon_options(
            flags: Self.flags(for: address),
            port: configuration.port,
            bind_address: nil,
            access_handler: accessHandler,
            access_handler_cls: dispatcherPointer,
            uri_log: requestStarted,
            uri_log_cls: dispatcherPointer,
            completed: requestCompleted,
            completed_cls: dispatcherPointer,
            notify_connection: connectionChanged,
            notify_connection_cls: dispatcherPointer,
            server_answer: serverAnswered,
            server_answer_cls: dispatcherPointer,
            connection_limit: Self.daemonConnectionLimit(configuration),
            connection_timeout_seconds: timeout,
            thread_pool_size: threadPoolSize
        )
        let messageCapacity = 512
        var message = [CChar](repeating: 0, count: messageCapacity)
        let started = address.withSocketAddress(port: configuration.port) { socketAddress in
            options.bind_address = socketAddress
            return mhd_shim_start_daemon(&options, &message, messageCapacity)
        }
        guard let started else {
            connections.stopWatchdog()
            let reason = String(nulTerminated: message)
            throw .startFailed(
                address: address.describe(port: configuration.port),
                reason: reason.isEmpty ? "libmicrohttpd could not start the daemon" : reason
            )
        }
        self.dispatcher = dispatcher
        self.boundPort = mhd_shim_bound_port(started)
        self.daemon = Mutex(started)
    }

    /// Closes the listening socket and all connections, waiting for running
    /// handlers to return. Slow clients do not delay it: every connection is shut
    /// down first. Idempotent. Must not be called from the handler.
    public func stop() {
        daemon.withLock { running in
            guard let daemon = running else { return }
            dispatcher.connections.shutDownAll()
            mhd_shim_stop_daemon(daemon)
            running = nil
        }
    }

    /// A clean stop: refuses new connections, lets requests being handled finish and their
    /// answers be sent (for at most `grace` seconds: a client that does not read its answer
    /// does not hold the stop up), then `stop()`. Must not be called from the handler.
    public func drainAndStop(grace: Double) {
        let stillListening = daemon.withLock { running in running.map { mhd_shim_stop_listening($0) == 0 } ?? false }
        if stillListening {
            let deadline = monotonicSeconds() + grace
            while dispatcher.connections.busy > 0 && monotonicSeconds() < deadline { usleep(10_000) }
        }
        stop()
    }

    /// MHD's own limit, which it splits among its pool threads: room above ours for connections
    /// refused or displaced but not yet cleaned up, and for an uneven spread over the threads.
    private static func daemonConnectionLimit(_ configuration: HTTPServerConfiguration) -> UInt32 {
        UInt32(clamping: 2 * configuration.connectionLimit + 16 * configuration.threadPoolSize)
    }

    deinit {
        stop()
    }

    private static func flags(for address: ListenAddress) -> UInt32 {
        // MHD_USE_ITC lets `drainAndStop` stop listening while the pool threads run.
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_ITC.rawValue
        flags |= MHD_is_feature_supported(.FEATURE_EPOLL) == .YES
            ? MHD_USE_EPOLL.rawValue : MHD_USE_POLL.rawValue
        switch address {
        case .any where ipv6SocketsAvailable():
            flags |= MHD_USE_DUAL_STACK.rawValue
        case .ipv6:
            flags |= MHD_USE_IPv6.rawValue
        case .any, .ipv4:
            break
        }
        return flags
    }
}

private func uint32(_ value: Int, _ name: String, minimum: Int) throws(HTTPServerError) -> UInt32 {
    guard value >= minimum, let converted = UInt32(exactly: value) else {
        throw .invalidConfiguration("\(name) must be between \(minimum) and \(UInt32.max), got \(value)")
    }
    return converted
}
