import HTTPServer
import Logging
import Synchronization

/// Picks up edits of `--web.config.file`, and of the certificate, key and CA files it names,
/// without a restart, as exporter-toolkit does: every `tick` the whole config is read and
/// checked again. A good change is put in force by handing the listening socket to a new
/// listener with the new TLS settings and `WebPolicy` (`HTTPServer.replaceListener`), so each
/// connection keeps the config it was accepted under. A broken one is logged, once per distinct
/// problem, and the last good config stays in force; TLS settings refused are not tried again
/// until the files change. Switching TLS on or off needs a restart: done by an edit, it would silently
/// expose or cut off every scraper.
public final class WebConfigReloader: Sendable {
    public static let tick = 1.0

    private let path: String
    private let access: WebAccess
    private let server: HTTPServer
    private let clock: any LedgerClock
    private let logger: Logger
    private let listenerLost: @Sendable () -> Void
    private let inForce: Mutex<WebConfigFile>
    /// The last edit that could not be put in force, and why.
    private let refused = Mutex<(file: WebConfigFile, problem: String)?>(nil)
    private let thread = PeriodicThread(interval: tick)

    /// `listenerLost` is called when a failed swap left the server without its listening socket
    /// (see `HTTPServerError.listenerLost`): the process must be restarted.
    public init(
        loaded: WebConfigFile, access: WebAccess, server: HTTPServer, clock: any LedgerClock, logger: Logger,
        listenerLost: @escaping @Sendable () -> Void
    ) {
        self.path = loaded.path
        self.access = access
        self.server = server
        self.clock = clock
        self.logger = logger
        self.listenerLost = listenerLost
        self.inForce = Mutex(loaded)
        thread.start { [self] in reloadLogging() }
    }

    /// Stops the loop and waits for it.
    public func stop() {
        thread.stop()
    }

    /// The task run at each tick: `reload`, logging a problem once until it changes.
    private func reloadLogging() -> () -> Void {
        var lastProblem: String?
        return { [self] in
            let problem = reload()
            if let problem, problem != lastProblem {
                logger.error("web config refused; the last good one stays in force", metadata: ["error": "\(problem)"])
            } else if problem == nil, lastProblem != nil {
                logger.info("web config readable again", metadata: ["path": "\(path)"])
            }
            lastProblem = problem
        }
    }

    /// Reads the files once and applies them if they changed; returns why they were refused.
    func reload() -> String? {
        let loaded: WebConfigFile
        do {
            loaded = try WebConfigFile.load(path: path)
        } catch {
            access.reloadFailed()
            return error.description
        }
        let current = inForce.withLock { $0 }
        if loaded == current {
            refused.withLock { $0 = nil }
            access.reloadRecovered()
            return nil
        }
        if let problem = refused.withLock({ $0?.file == loaded ? $0?.problem : nil }) {
            access.reloadFailed()
            return problem
        }
        if (loaded.tls == nil) != (current.tls == nil) {
            access.reloadFailed()
            return "web config \(path): switching TLS \(loaded.tls == nil ? "off" : "on") needs a restart"
        }
        do {
            try server.replaceListener(
                tls: loaded.tls, context: WebPolicy(loaded.configuration), grace: ExporterDefaults.shutdownGrace)
        } catch {
            let problem = "web config \(path): \(error)"
            // Settings that cannot be used stay refused until the files change; a daemon that
            // failed to start (threads, descriptors, memory) is tried again at the next tick.
            if case .invalidTLS = error { refused.withLock { $0 = (loaded, problem) } }
            access.reloadFailed()
            if case .listenerLost = error {
                logger.critical("the listening socket was lost while switching configs; stopping", metadata: ["error": "\(error)"])
                listenerLost()
            }
            return problem
        }
        access.loaded(at: clock.now())
        inForce.withLock { $0 = loaded }
        logger.info(
            "web config reloaded",
            metadata: [
                "path": "\(path)", "tls_changed": "\(loaded.tls != current.tls)",
                "basic_auth_users": "\(loaded.configuration.basicAuthUsers.count)",
                "headers": "\(loaded.configuration.headers.count)",
            ])
        return nil
    }
}
