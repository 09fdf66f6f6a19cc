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
    private let recipe: DaemonRecipe
    /// The daemon serving new connections, and those replaced but still finishing theirs.
    private let daemons: Mutex<Daemons>

    /// Starts serving: plain HTTP, or TLS with `tls`. Every request carries `context` (see
    /// `HTTPRequest.listenerContext`).
    public init(
        configuration: HTTPServerConfiguration,
        tls: TLSSettings? = nil,
        context: (any Sendable)? = nil,
        statistics: HTTPServerStatistics = HTTPServerStatistics(),
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws(HTTPServerError) {
        let address = try BindIPAddress(host: configuration.host)
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
        try tls?.check()
        let connections = ConnectionGuard(
            limits: ConnectionBook.Limits(
                maxConnections: configuration.connectionLimit,
                maxConnectionsPerAddress: configuration.connectionsPerAddressLimit,
                maxAnswersInFlight: configuration.answersInFlightLimit,
                maxUnreadAnswersPerAddress: configuration.unreadAnswersPerAddressLimit,
                readTimeout: configuration.readTimeoutSeconds),
            statistics: statistics)
        recipe = DaemonRecipe(
            configuration: configuration, address: address, timeout: timeout, threadPoolSize: threadPoolSize,
            connections: connections, statistics: statistics, handler: handler)
        let started: RunningDaemon
        do throws(HTTPServerError) {
            started = try recipe.start(tls: tls, context: context, listenSocket: -1)
        } catch {
            connections.stopWatchdog()
            throw error
        }
        boundPort = mhd_shim_bound_port(started.pointer)
        daemons = Mutex(Daemons(current: started, tls: tls))
    }

    /// The TLS settings new connections get.
    public var tls: TLSSettings? { daemons.withLock { $0.tls } }

    /// Serves new connections with `tls` (nil: plain HTTP) and `context` from now on, on the same
    /// socket: a new daemon takes over the listening socket, and the old one finishes the requests
    /// on its connections, under the old settings and context, for at most `grace` seconds
    /// before it stops. So a connection is served under the settings in force when it was
    /// accepted, and nothing is refused in between. When the new settings cannot be used this
    /// throws and the old daemon goes on serving, unless the error is `.listenerLost`. Blocks for
    /// up to `grace` seconds. Must not be called from the handler.
    public func replaceListener(tls: TLSSettings?, context: (any Sendable)?, grace: Double) throws(HTTPServerError) {
        try tls?.check()
        let recipe = recipe
        let replaced = try daemons.withLock { (daemons) throws(HTTPServerError) -> Int in
            guard !daemons.draining, let old = daemons.current else { throw .stopping }
            let listening = mhd_shim_listen_socket(old.pointer)
            let socket = dup(listening)
            guard socket >= 0 else {
                throw .startFailed(
                    address: recipe.address.describe(port: recipe.configuration.port),
                    reason: "cannot share the listening socket: \(String(cString: strerror(errno)))")
            }
            do throws(HTTPServerError) {
                daemons.current = try recipe.start(tls: tls, context: context, listenSocket: socket)
            } catch {
                // Not closed here: MHD closes the socket itself on some of its failure paths,
                // and a second close could hit a reused number (at worst one descriptor leaks).
                // On others it shuts the socket down, which the old daemon shares.
                guard Self.isListening(listening) else { throw .listenerLost("\(error)") }
                throw error
            }
            _ = mhd_shim_stop_listening(old.pointer) // closes the old daemon's copy of the socket
            daemons.tls = tls
            daemons.retiring.append(old)
            return old.serial
        }
        let deadline = monotonicSeconds() + grace
        while monotonicSeconds() < deadline {
            let open = daemons.withLock { daemons in
                daemons.retiring.first { $0.serial == replaced }.map { mhd_shim_open_connections($0.pointer) } ?? 0
            }
            if open == 0 { break }
            usleep(10_000)
        }
        daemons.withLock { daemons in
            guard let index = daemons.retiring.firstIndex(where: { $0.serial == replaced }) else { return }
            let retired = daemons.retiring.remove(at: index)
            // The dispatcher must outlive the stop: MHD's callbacks reach it while it closes connections.
            withExtendedLifetime(retired) {
                retired.dispatcher.offloaded.closeAndWait()
                mhd_shim_stop_daemon(retired.pointer)
            }
        }
    }

    private static func isListening(_ socket: Int32) -> Bool {
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(socket, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting != 0
    }

    /// Closes the listening socket and all connections, waiting for running
    /// handlers to return. Slow clients do not delay it: every connection is shut
    /// down first. Idempotent. Must not be called from the handler.
    public func stop() {
        daemons.withLock { daemons in
            daemons.draining = true
            guard daemons.current != nil || !daemons.retiring.isEmpty else { return }
            recipe.connections.shutDownAll()
            // Stopped while still held, so their dispatchers outlive MHD's last callbacks.
            for daemon in [daemons.current].compactMap({ $0 }) + daemons.retiring {
                daemon.dispatcher.offloaded.closeAndWait()  // MHD must not stop with a connection suspended
                mhd_shim_stop_daemon(daemon.pointer)
            }
            daemons.current = nil
            daemons.retiring = []
        }
    }

    /// A clean stop: refuses new connections, lets requests being handled finish and their
    /// answers be sent (for at most `grace` seconds: a client that does not read its answer
    /// does not hold the stop up), then `stop()`. Must not be called from the handler.
    public func drainAndStop(grace: Double) {
        let stillListening = daemons.withLock { daemons in
            daemons.draining = true
            return daemons.current.map { mhd_shim_stop_listening($0.pointer) == 0 } ?? false
        }
        if stillListening {
            let deadline = monotonicSeconds() + grace
            while recipe.connections.busy > 0 && monotonicSeconds() < deadline { usleep(10_000) }
        }
        stop()
    }

    deinit {
        stop()
    }
}

/// A started daemon and the dispatcher its callbacks reach through an unretained pointer,
/// which must outlive it. Lives in `HTTPServer.daemons`; whoever removes it there stops it.
private struct RunningDaemon {
    let pointer: OpaquePointer
    let dispatcher: RequestDispatcher
    /// Tells daemons apart after one has been removed and its memory reused.
    let serial: Int
}

private struct Daemons {
    var current: RunningDaemon?
    var retiring: [RunningDaemon] = []
    var tls: TLSSettings?
    /// `drainAndStop` or `stop` has begun: no daemon may replace the current one.
    var draining = false
}

/// Everything a daemon is started from but its TLS settings, shared by the daemons of one server.
private struct DaemonRecipe: Sendable {
    let configuration: HTTPServerConfiguration
    let address: BindIPAddress
    let timeout: UInt32
    let threadPoolSize: UInt32
    let connections: ConnectionGuard
    let statistics: HTTPServerStatistics
    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private static let serials = Atomic<Int>(0)

    func start(tls: TLSSettings?, context: (any Sendable)?, listenSocket: Int32) throws(HTTPServerError) -> RunningDaemon {
        let dispatcher = RequestDispatcher(
            maxBodyBytes: configuration.maxBodyBytes, connections: connections, statistics: statistics,
            clientCertificates: ClientCertificateCheck(tls), context: context,
            offloaded: OffloadedRequests(paths: configuration.offloadedPaths, width: configuration.threadPoolSize), handler: handler)
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
            thread_pool_size: threadPoolSize,
            tls: nil,
            listen_socket: listenSocket
        )
        let messageCapacity = 512
        var message = [CChar](repeating: 0, count: messageCapacity)
        let started = address.withSocketAddress(port: configuration.port) { socketAddress in
            options.bind_address = socketAddress
            guard let tls else { return mhd_shim_start_daemon(&options, &message, messageCapacity) }
            return tls.withOptions { tlsOptions in
                options.tls = tlsOptions
                return mhd_shim_start_daemon(&options, &message, messageCapacity)
            }
        }
        guard let started else {
            let reason = String(nulTerminated: message)
            throw .startFailed(
                address: address.describe(port: configuration.port),
                reason: reason.isEmpty ? "libmicrohttpd could not start the daemon" : reason
            )
        }
        return RunningDaemon(
            pointer: started, dispatcher: dispatcher, serial: Self.serials.add(1, ordering: .relaxed).newValue)
    }

    /// MHD's own limit, which it splits among its pool threads: room above ours for connections
    /// refused or displaced but not yet cleaned up, and for an uneven spread over the threads.
    private static func daemonConnectionLimit(_ configuration: HTTPServerConfiguration) -> UInt32 {
        UInt32(clamping: 2 * configuration.connectionLimit + 16 * configuration.threadPoolSize)
    }

    private static func flags(for address: BindIPAddress) -> UInt32 {
        // MHD_USE_ITC lets `drainAndStop` stop listening while the pool threads run.
        // MHD_ALLOW_SUSPEND_RESUME: offloaded requests suspend their connection (OffloadedRequests).
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_ITC.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
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
