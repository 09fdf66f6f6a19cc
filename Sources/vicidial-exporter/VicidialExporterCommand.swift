import AgentEvents
import AgentLedger
import ArgumentParser
import DefaultPort
import HTTPServer
import Logging
import PrometheusDuration
import Storage
import Synchronization
import VicidialDatabase
import VicidialExporter

#if canImport(Glibc)
import Glibc
#endif

@main
struct VicidialExporterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vicidial-exporter",
        abstract: "Prometheus exporter for VICIdial agent activity, fed by VICIdial's Agent Push Events.",
        discussion: """
            In VICIdial (Admin > System Settings) set "Agent Push Events" to 1 and "Agent Push URL" to a path on \
            the VICIdial web server that is proxied to this exporter's /event, with message last (an & or ? in a \
            message swallows the fields after it), for example
              \(LandingPage.pushURL)
            with Apache: ProxyPass /agc/events http://127.0.0.1:\(defaultExporterPort)/event
            (or relay through VICIdial's extras/get2post.php; see README.md).
            Prometheus scrapes the telemetry path (default /metrics). Durations take Prometheus units: 500ms, 1s, 5m, 12h, 7d.
            """,
        version: BuildInfo.versionText,
        subcommands: [BackfillCommand.self]
    )

    // Each option's default comes from the type that holds the setting, so it is written once.
    private static let server = HTTPServerConfiguration(port: defaultExporterPort)
    private static let exporter = ExporterConfiguration()

    @Option(
        name: .customLong("web.listen-address"),
        help: ArgumentHelp("Address to listen on for events and scrapes: ':PORT' (all interfaces), 'IP:PORT' or '[IPv6]:PORT'.", valueName: "address"))
    var listenAddress = ListenHostPort(host: Self.server.host, port: Self.server.port)

    @Option(name: .customLong("web.config.file"), help: "exporter-toolkit web config (YAML): TLS (tls_server_config), basic auth (basic_auth_users, every route but /event) and response headers (http_server_config.headers). Re-read every second; a broken edit keeps the last good config. See docs/security.md.")
    var webConfigFile = ""

    @Option(name: .customLong("web.telemetry-path"), help: "Path under which to expose metrics.")
    var telemetryPath = Self.exporter.telemetryPath

    @Option(name: .customLong("web.max-connections"), help: "Most simultaneous HTTP connections; past it a new connection displaces the one that has waited longest for its request.")
    var maxConnections = Self.server.connectionLimit

    @Option(name: .customLong("web.max-connections-per-ip"), help: "Most simultaneous HTTP connections from one client address (a reverse proxy carries a whole floor from one address), with the same displacement.")
    var maxConnectionsPerIP = Self.server.connectionsPerAddressLimit

    @Option(name: .customLong("web.max-answers-in-flight"), help: "Most answers being sent at once (each holds its body, a whole /metrics page, until the client has read it); one more displaces the connection that has been sending longest.")
    var maxAnswersInFlight = Self.server.answersInFlightLimit

    @Option(name: .customLong("web.max-unread-answers-per-ip"), help: "Answers to one path that one client address may leave unread; its next requests to that path get 429 without being handled (Prometheus reads each scrape before the next).")
    var maxUnreadAnswersPerIP = Self.server.unreadAnswersPerAddressLimit

    @Option(name: .customLong("web.read-timeout"), help: ArgumentHelp("A request must arrive whole (headers and body) within this long of the connection opening or of the previous answer.", valueName: "duration"))
    var readTimeout = DurationArgument(seconds: Self.server.readTimeoutSeconds)

    @Option(name: .customLong("web.connection-timeout"), help: ArgumentHelp("Close a connection that neither sends nor reads anything for this long (also while an answer is sent).", valueName: "duration"))
    var connectionTimeout = DurationArgument(seconds: Double(Self.server.connectionTimeoutSeconds))

    @Option(name: .customLong("web.threads"), help: "HTTP worker threads (scrapes render on a thread of their own, not on these).")
    var threads = Self.server.threadPoolSize

    @OptionGroup var ledgerFlags: LedgerFlags

    @Option(name: .customLong("ingest.token-file"), help: "File holding a secret every push to /event must carry, as token=<secret> in the Agent Push URL or as 'Authorization: Bearer <secret>'; others get 401. Never logged or shown.")
    var ingestTokenFile: String?

    @Option(
        name: .customLong("ingest.allowed-sources"),
        help: ArgumentHelp("Comma-separated addresses or CIDR networks (IPv4, IPv6) that may push to /event; others get 403. Scrapes are not affected. Default: any.", valueName: "ranges"),
        transform: Self.addressRanges)
    var allowedSources: [AddressRange]?

    @Option(
        name: .customLong("web.trusted-proxies"),
        help: ArgumentHelp("Comma-separated addresses or CIDR networks of reverse proxies whose X-Forwarded-For names the client (the rightmost address that is not a trusted proxy); from any other peer the header is ignored.", valueName: "ranges"),
        transform: Self.addressRanges)
    var trustedProxies: [AddressRange] = []

    @OptionGroup var storage: StoragePathFlag

    @Option(name: .customLong("storage.fsync"), help: ArgumentHelp("When journal writes are synced to disk: 'always' (before each acknowledgement; requests arriving together share one sync), a duration from 1ms to 1h such as '1s' (in the background at most that long after a write), or 'never' (left to the kernel). A crash of the exporter loses nothing acknowledged under any setting; a power cut can lose what was not yet synced.", valueName: "policy"))
    var storageFsync = FsyncArgument(ExporterDefaults.fsync)

    @Option(name: .customLong("storage.snapshot-interval"), help: ArgumentHelp("Write a snapshot of the ledger this often (and at a clean shutdown), then drop the journal behind it.", valueName: "duration"))
    var snapshotInterval = DurationArgument(seconds: ExporterDefaults.snapshotInterval)

    @Option(name: .customLong("storage.retention"), help: ArgumentHelp("Keep the journal written within this long (and a snapshot from before it) so 'vicidial-exporter backfill' can write its history for Prometheus; 0s keeps only what a restart needs. Costs disk: see docs/storage.md.", valueName: "duration"))
    var storageRetention = DurationArgument(seconds: ExporterDefaults.storageRetention)

    @Option(name: .customLong("vicidial.db-dsn"), help: ArgumentHelp("VICIdial's database, read-only, for user groups, campaigns and pause codes: mysql://USER@HOST:PORT/DATABASE, or with ?socket=PATH. The password goes in --vicidial.db-password-file, never here. Empty: no enrichment.", valueName: "dsn"))
    var databaseDSN = ""

    @Option(name: .customLong("vicidial.db-password-file"), help: "File holding the database user's password (one trailing line break is ignored). Never logged or shown.")
    var databasePasswordFile: String?

    @Option(name: .customLong("vicidial.db-poll-interval"), help: ArgumentHelp("How often VICIdial's database is read (at least 1s); also the timeout of each connect and read.", valueName: "duration"))
    var databasePollInterval = DurationArgument(seconds: ExporterDefaults.databasePollInterval)

    @Option(name: .customLong("log.level"), help: "Only log messages with this severity or above: debug, info, warn, error.")
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: "Log line format: logfmt or json.")
    var logFormat = "logfmt"

    func validate() throws {
        guard telemetryPath.hasPrefix("/"), !["/", "/event", "/-/healthy", "/-/ready"].contains(telemetryPath) else {
            throw ValidationError("--web.telemetry-path must start with '/' and not be /, /event, /-/healthy or /-/ready")
        }
        for (flag, value, maximum) in [
            ("web.max-connections", maxConnections, 1_000_000), ("web.max-connections-per-ip", maxConnectionsPerIP, 1_000_000),
            ("web.max-answers-in-flight", maxAnswersInFlight, 1_000_000),
            ("web.max-unread-answers-per-ip", maxUnreadAnswersPerIP, 1_000_000), ("web.threads", threads, 1024),
        ] where !(1...maximum).contains(value) {
            throw ValidationError("--\(flag) must be between 1 and \(maximum), got \(value)")
        }
        guard readTimeout.seconds > 0 else { throw ValidationError("--web.read-timeout must be more than 0s") }
        guard snapshotInterval.seconds >= 1 else { throw ValidationError("--storage.snapshot-interval must be at least 1s") }
        if let ingestTokenFile { _ = try Self.readToken(ingestTokenFile) }
        _ = try database()
        guard databasePollInterval.seconds >= 1 else { throw ValidationError("--vicidial.db-poll-interval must be at least 1s") }
        guard Self.level(logLevel) != nil else { throw ValidationError("--log.level must be debug, info, warn or error") }
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log.format must be logfmt or json") }
    }

    func run() throws {
        ScrapeMemory.returnLargeBuffersToTheSystem()
        let format = LogFormat(rawValue: logFormat)!
        let level = Self.level(logLevel)!
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
        let logger = Logger(label: "vicidial-exporter")

        let configuration = ExporterConfiguration(
            telemetryPath: telemetryPath,
            ledger: ledgerFlags.configuration(tracksPauseCodes: !databaseDSN.isEmpty),
            ingestToken: try ingestTokenFile.map(Self.readToken),
            allowedSources: allowedSources,
            trustedProxies: trustedProxies)
        if configuration.ingestToken == nil && configuration.allowedSources == nil && !listenAddress.isLoopback {
            logger.warning(
                "/event accepts pushes from anyone who can reach this address: set --ingest.token-file and --ingest.allowed-sources (see docs/security.md)",
                metadata: ["address": "\(listenAddress)"])
        }
        let webConfig: WebConfigFile?
        do {
            webConfig = webConfigFile.isEmpty ? nil : try WebConfigFile.load(path: webConfigFile)
        } catch {
            logger.error("cannot use the web config", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let access = WebAccess()
        if webConfig != nil { access.loaded(at: SystemClock().now()) }

        let httpStatistics = HTTPServerStatistics()
        let persistent = !storage.path.isEmpty
        let exporter = Exporter(
            configuration: configuration, logger: logger, httpStatistics: httpStatistics, access: access, recovering: persistent)

        // The directory is locked before listening: a second exporter on it, or a directory that
        // cannot be created, stops the start here.
        var directory: StorageDirectory?
        if persistent {
            do {
                directory = try StorageDirectory(path: Self.trimmedPath(storage.path), retention: storageRetention.seconds)
            } catch {
                logger.error("cannot use the storage directory", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
        } else {
            logger.warning("persistence is off (--storage.path is empty): a restart forgets every agent's state and totals")
        }

        let openFiles = Self.raiseOpenFileLimit()
        if openFiles < UInt64(2 * maxConnections + 64) {
            logger.warning(
                "the open-file limit is low for --web.max-connections: connections may fail under load",
                metadata: ["open_file_limit": "\(openFiles)", "max_connections": "\(maxConnections)"])
        }

        // Block the shutdown signals in every thread (MHD's inherit the mask) and wait for them here.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let server: HTTPServer
        do {
            server = try HTTPServer(
                configuration: HTTPServerConfiguration(
                    host: listenAddress.host, port: listenAddress.port, maxBodyBytes: configuration.maxBodyBytes,
                    connectionLimit: maxConnections,
                    connectionsPerAddressLimit: maxConnectionsPerIP,
                    answersInFlightLimit: maxAnswersInFlight,
                    unreadAnswersPerAddressLimit: maxUnreadAnswersPerIP,
                    readTimeoutSeconds: readTimeout.seconds,
                    connectionTimeoutSeconds: Int(connectionTimeout.seconds.rounded(.up)),
                    threadPoolSize: threads,
                    // Scrapes render on their own thread: pushes on the same pool thread do not wait for them.
                    offloadedPaths: [configuration.telemetryPath]),
                tls: webConfig?.tls,
                context: webConfig.map { WebPolicy($0.configuration) } ?? WebPolicy.open,
                statistics: httpStatistics,
                handler: exporter.handle)
        } catch {
            logger.error("cannot start the HTTP server", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        // Listening from here: /-/ready answers 503 until the journal is replayed.
        exporter.listening(on: ListenHostPort(host: listenAddress.host, port: server.boundPort))
        exporter.markReady()
        logger.info(
            "listening",
            metadata: [
                "address": "\(listenAddress)", "port": "\(server.boundPort)", "telemetry_path": "\(telemetryPath)",
                "version": "\(BuildInfo.version)", "revision": "\(BuildInfo.revision)", "tls": "\(webConfig?.tls != nil)",
                "basic_auth": "\(!(webConfig?.configuration.basicAuthUsers.isEmpty ?? true))",
            ])
        let listenerLost = Atomic<Bool>(false)
        let reloader = webConfig.map {
            WebConfigReloader(loaded: $0, access: access, server: server, clock: SystemClock(), logger: logger) {
                // Stop cleanly (journal synced, snapshot written), then exit 1 for the supervisor.
                listenerLost.store(true, ordering: .releasing)
                kill(getpid(), SIGTERM)
            }
        }

        var maintenance: StorageMaintenance?
        if let directory {
            do {
                let persistence = try recover(directory, configuration: configuration, logger: logger)
                exporter.store.resume(from: persistence.ledger, persistence: persistence.persistence)
                maintenance = StorageMaintenance(
                    store: exporter.store, persistence: persistence.persistence,
                    interval: snapshotInterval.seconds, maxJournalBytes: ExporterDefaults.snapshotAfterJournalBytes,
                    clock: SystemClock(), logger: logger)
            } catch {
                logger.error("cannot recover from the storage directory", metadata: ["error": "\(error)"])
                server.stop()
                throw ExitCode.failure
            }
        }
        let enrichment = try database().map { database in
            logger.info(
                "enrichment from VICIdial's database", metadata: ["dsn": "\(database.dsn)", "poll_interval": "\(databasePollInterval)"])
            return Enrichment(
                dsn: database.dsn, interval: databasePollInterval.seconds, password: database.password,
                store: exporter.store, clock: SystemClock(), logger: logger)
        }
        if let enrichment { exporter.enrich(from: enrichment) }
        logger.info("ready")

        var received: Int32 = 0
        sigwait(&signals, &received)
        logger.info("shutting down", metadata: ["signal": "\(received == SIGTERM ? "SIGTERM" : "SIGINT")"])
        reloader?.stop()
        enrichment?.stop()
        server.drainAndStop(grace: ExporterDefaults.shutdownGrace)
        if let maintenance, let persistence = exporter.store.persistence {
            maintenance.stop()
            let snapshotProblem = exporter.store.writeSnapshot(stopping: true)
            let journalProblem = persistence.journal.close()
            let snapshots = persistence.snapshotStatistics
            if let journalProblem {
                logger.error("stopped, but the journal's last sync failed: the last events may not survive a power cut",
                    metadata: ["error": "\(journalProblem)"])
                throw ExitCode.failure
            }
            if let snapshotProblem {
                logger.error("stopped: journal synced, but no snapshot; the next start replays the journal",
                    metadata: ["error": "\(snapshotProblem)"])
            } else {
                logger.info(
                    "stopped: journal synced and snapshot written",
                    metadata: [
                        "snapshot_failures": "\(snapshots.failures)", "snapshot_bytes": "\(snapshots.lastSizeBytes ?? 0)",
                        "snapshot_seconds": "\(snapshots.lastDurationSeconds ?? 0)",
                    ])
            }
        }
        if listenerLost.load(ordering: .acquiring) { throw ExitCode.failure }
    }

    /// Loads the newest snapshot, replays the journal after it and opens the journal's next
    /// segment, logging what was found.
    private func recover(
        _ directory: StorageDirectory, configuration: ExporterConfiguration, logger: Logger
    ) throws -> (ledger: AgentLedger, persistence: Persistence) {
        let clock = SystemClock()
        let started = clock.now()
        let (ledger, report) = try directory.recover(configuration: configuration.ledger)
        let seconds = clock.now() - started
        for rejected in report.rejectedSnapshots {
            logger.warning("unreadable snapshot passed over", metadata: ["snapshot": "\(rejected)"])
        }
        for damage in report.damage {
            logger.warning("damaged journal cut at its last good record", metadata: ["damage": "\(damage)"])
        }
        if report.historyMissing {
            logger.error("no readable snapshot and the journal before the oldest segment is gone: totals before it are missing")
        }
        let journal = try directory.openJournal(after: report, policy: storageFsync.policy)
        logger.info(
            "recovered from storage",
            metadata: [
                "path": "\(directory.path)", "agents": "\(ledger.agentCount)", "records_replayed": "\(report.recordsReplayed)",
                "snapshot": "\(report.snapshotSegment.map(String.init) ?? "none")", "damaged": "\(report.damage.count)",
                "seconds": "\(seconds)", "fsync": "\(journal.policy)",
            ])
        return (ledger, Persistence(directory: directory, journal: journal, recovery: report, recoverySeconds: seconds, logger: logger))
    }

    /// The token in `path`; a missing, unreadable or empty file is refused with its path.
    /// `--vicidial.db-dsn` parsed, with its password, or nil without one. The DSN is never
    /// echoed back in an error (it might hold a password by mistake).
    private func database() throws -> (dsn: DatabaseDSN, password: @Sendable () throws(DatabaseError) -> String)? {
        guard !databaseDSN.isEmpty else {
            if databasePasswordFile != nil { throw ValidationError("--vicidial.db-password-file needs --vicidial.db-dsn") }
            return nil
        }
        let dsn: DatabaseDSN
        do {
            dsn = try DatabaseDSN(parsing: databaseDSN)
        } catch {
            throw ValidationError("--vicidial.db-dsn: \(error)")
        }
        guard let path = databasePasswordFile else { return (dsn, { "" }) }
        do {
            _ = try DatabasePasswordFile.read(path)
        } catch {
            throw ValidationError("--vicidial.db-password-file: \(error.message)")
        }
        return (dsn, { () throws(DatabaseError) -> String in try DatabasePasswordFile.read(path) })
    }

    private static func readToken(_ path: String) throws -> IngestToken {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, maxBytes: 4096)
        } catch {
            switch error {
            case .system(let reason): throw ValidationError("--ingest.token-file \(path): \(reason)")
            case .tooLarge: throw ValidationError("--ingest.token-file \(path): longer than 4096 bytes; a token is one line")
            }
        }
        do {
            return try IngestToken(fileText: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw ValidationError("--ingest.token-file \(path) \(error)")
        }
    }

    /// `--ingest.allowed-sources` and `--web.trusted-proxies`: a comma-separated list, naming the
    /// first entry that is not an address or network.
    @Sendable private static func addressRanges(_ flag: String) throws -> [AddressRange] {
        let ranges: [AddressRange]
        do {
            ranges = try AddressRange.list(flag)
        } catch {
            throw ValidationError("'\(error.entry)' is not an IPv4 or IPv6 address or CIDR network (such as 10.0.0.0/8 or 2001:db8::/32)")
        }
        guard !ranges.isEmpty else { throw ValidationError("empty: give at least one address or network, or leave the flag out") }
        return ranges
    }

    /// `data/` and `data` name the same directory.
    private static func trimmedPath(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Lifts the soft open-file limit to the hard one, as Go programs do at start (1024 is a
    /// common soft default); returns the limit now in force.
    private static func raiseOpenFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }

    private static func level(_ name: String) -> Logger.Level? {
        switch name {
        case "debug": .debug
        case "info": .info
        case "warn": .warning
        case "error": .error
        default: nil
        }
    }
}
