import HTTPServer
import Logging
import Synchronization

/// Picks up edits of `--web.config.file`, and of the certificate, key and CA files it names,
/// without a restart, as exporter-toolkit does: every `tick` the whole config is read and
/// checked again. A good change is put in force (TLS by handing the listening socket to a new
/// daemon, see `HTTPServer.replaceTLS`); a broken one is logged, once per distinct problem, and
/// the last good config stays in force. Switching TLS on or off needs a restart: done by an edit,
/// it would silently expose or cut off every scraper.
public final class WebConfigReloader: Sendable {
    public static let tick = 1.0

    private let path: String
    private let access: WebAccess
    private let server: HTTPServer
    private let clock: any LedgerClock
    private let logger: Logger
    private let inForce: Mutex<WebConfigFile>
    private let thread = PeriodicThread(interval: tick)

    public init(loaded: WebConfigFile, access: WebAccess, server: HTTPServer, clock: any LedgerClock, logger: Logger) {
        self.path = loaded.path
        self.access = access
        self.server = server
        self.clock = clock
        self.logger = logger
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

    /// Reads the file once and applies it if it changed; returns why it was refused.
    func reload() -> String? {
        let loaded: WebConfigFile
        do {
            loaded = try WebConfigFile.load(path: path)
        } catch {
            access.reloadFailed()
            return error.description
        }
        let current = inForce.withLock { $0 }
        guard loaded != current else {
            access.reloadRecovered()
            return nil
        }
        if (loaded.tls == nil) != (current.tls == nil) {
            access.reloadFailed()
            return "web config \(path): switching TLS \(loaded.tls == nil ? "off" : "on") needs a restart"
        }
        if loaded.tls != current.tls {
            do {
                try server.replaceTLS(with: loaded.tls, grace: ExporterDefaults.shutdownGrace)
            } catch {
                access.reloadFailed()
                return "web config \(path): \(error)"
            }
        }
        access.apply(loaded.configuration, at: clock.now())
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
