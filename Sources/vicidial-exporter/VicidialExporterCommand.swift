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
            with Apache: ProxyPass \(LandingPage.proxyPath) http://127.0.0.1:\(defaultExporterPort)/event (contrib/apache/vicidial-exporter.conf)
            (or relay through VICIdial's extras/get2post.php; see README.md).
            Prometheus scrapes the telemetry path (default /metrics). Durations take Prometheus units: 500ms, 1s, 5m, 12h, 7d.
            """,
        version: BuildInfo.versionText,
        subcommands: [CheckCommand.self, BackfillCommand.self]
    )

    @OptionGroup var options: ExporterOptions


    func run() throws {
        // Here, not in validate(): the parent's validate() also runs before `check`, which
        // must list the problems rather than stop at the first.
        if let problem = options.problems().first { throw ValidationError(problem) }
        ScrapeMemory.returnLargeBuffersToTheSystem()
        let format = LogFormat(rawValue: options.logFormat)!
        let level = ExporterOptions.level(options.logLevel)!
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
        let logger = Logger(label: "vicidial-exporter")

        let configuration = try options.exporterConfiguration()
        if configuration.ingestToken == nil && configuration.allowedSources == nil && !options.listenAddress.isLoopback {
            logger.warning(
                "/event accepts pushes from anyone who can reach this address: set --ingest.token-file and --ingest.allowed-sources (see docs/security.md)",
                metadata: ["address": "\(options.listenAddress)"])
        }
        let webConfig: WebConfigFile?
        do {
            webConfig = options.webConfigFile.isEmpty ? nil : try WebConfigFile.load(path: options.webConfigFile)
        } catch {
            logger.error("cannot use the web config", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let access = WebAccess()
        if webConfig != nil { access.loaded(at: SystemClock().now()) }

        let httpStatistics = HTTPServerStatistics()
        let persistent = !options.storage.path.isEmpty
        let exporter = Exporter(
            configuration: configuration, logger: logger, httpStatistics: httpStatistics, access: access, recovering: persistent)

        // The directory is locked before listening: a second exporter on it, or a directory that
        // cannot be created, stops the start here.
        var directory: StorageDirectory?
        if persistent {
            do {
                directory = try StorageDirectory(path: ExporterOptions.trimmedPath(options.storage.path), retention: options.storageRetention.seconds)
            } catch {
                logger.error("cannot use the storage directory", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
        } else {
            logger.warning("persistence is off (--storage.path is empty): a restart forgets every agent's state and totals")
        }

        let openFiles = Self.raiseOpenFileLimit()
        if openFiles < UInt64(2 * options.maxConnections + 64) {
            logger.warning(
                "the open-file limit is low for --web.max-connections: connections may fail under load",
                metadata: ["open_file_limit": "\(openFiles)", "max_connections": "\(options.maxConnections)"])
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
                    host: options.listenAddress.host, port: options.listenAddress.port, maxBodyBytes: configuration.maxBodyBytes,
                    connectionLimit: options.maxConnections,
                    connectionsPerAddressLimit: options.maxConnectionsPerIP,
                    answersInFlightLimit: options.maxAnswersInFlight,
                    unreadAnswersPerAddressLimit: options.maxUnreadAnswersPerIP,
                    readTimeoutSeconds: options.readTimeout.seconds,
                    connectionTimeoutSeconds: Int(options.connectionTimeout.seconds.rounded(.up)),
                    threadPoolSize: options.threads,
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
        exporter.listening(on: ListenHostPort(host: options.listenAddress.host, port: server.boundPort))
        exporter.markReady()
        logger.info(
            "listening",
            metadata: [
                "address": "\(options.listenAddress)", "port": "\(server.boundPort)", "telemetry_path": "\(options.telemetryPath)",
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
                    interval: options.snapshotInterval.seconds, maxJournalBytes: ExporterDefaults.snapshotAfterJournalBytes,
                    clock: SystemClock(), logger: logger)
            } catch {
                logger.error("cannot recover from the storage directory", metadata: ["error": "\(error)"])
                server.stop()
                throw ExitCode.failure
            }
        }
        let enrichment = try options.database().map { database in
            logger.info(
                "enrichment from VICIdial's database", metadata: ["dsn": "\(database.dsn)", "poll_interval": "\(options.databasePollInterval)"])
            return Enrichment(
                dsn: database.dsn, interval: options.databasePollInterval.seconds, password: database.password,
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
        let journal = try directory.openJournal(after: report, policy: options.storageFsync.policy)
        logger.info(
            "recovered from storage",
            metadata: [
                "path": "\(directory.path)", "agents": "\(ledger.agentCount)", "records_replayed": "\(report.recordsReplayed)",
                "snapshot": "\(report.snapshotSegment.map(String.init) ?? "none")", "damaged": "\(report.damage.count)",
                "seconds": "\(seconds)", "fsync": "\(journal.policy)",
            ])
        return (ledger, Persistence(directory: directory, journal: journal, recovery: report, recoverySeconds: seconds, logger: logger))
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
}
