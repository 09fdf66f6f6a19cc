import AgentLedger
import ArgumentParser
import HTTPServer
import PrometheusDuration
import Storage
import VicidialDatabase
import VicidialExporter

#if canImport(Glibc)
import Glibc
#endif

/// `vicidial-exporter check [flags]`: reads the same flags as the server and says what it would
/// do with them, trying each part without serving: the flags, the web config, the listen address,
/// the storage directory (read, never changed nor locked) and VICIdial's database. Like
/// `promtool check config`: the plan on stdout, one line per problem on stderr, and exit 1 when
/// there is any, so it can gate a deployment. Not an `ExecStartPre=`: the exporter starts with
/// its database down and picks it up later, which `check` reports as a problem.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the flags, web config, listen address, storage directory and database, and print what the exporter would do.",
        discussion: "Takes every flag the exporter takes: run it with the service's own flags and --storage.path, as the service's user. It does not serve: it binds the listen address and lets it go, probes the storage directory's lock without keeping it, creates and removes one probe file there, and reads the journal without changing it. Beside a running exporter it reports the address and directory as in use.")

    @OptionGroup var options: ExporterOptions

    func run() throws {
        var report = CheckReport()
        report.problems = options.problems()
        let webConfig = checkWebConfig(&report)
        checkListener(webConfig: webConfig, &report)
        describeEvents(&report)
        report.plan("metrics", options.telemetryPath)
        checkStorage(&report)
        checkDatabase(&report)
        report.plan(
            "agents",
            "reorder window \(options.ledgerFlags.reorderWindow), clock skew up to \(options.ledgerFlags.maxClockSkew), session timeout \(options.ledgerFlags.sessionTimeout), "
                + "expire after \(options.ledgerFlags.expireAfter), at most \(options.ledgerFlags.maxAgents) agents")

        // Unbuffered, so the plan comes before the problems on a terminal that shows both.
        write(report.planText, to: STDOUT_FILENO)
        guard report.problems.isEmpty else {
            write(report.problemText, to: STDERR_FILENO)
            throw ExitCode.failure
        }
        write("OK: the exporter would start with these flags\n", to: STDOUT_FILENO)
    }

    /// A closed stdout or stderr loses the text; the exit status still tells.
    private func write(_ text: String, to descriptor: Int32) {
        try? writeAll(Array(text.utf8), to: descriptor, path: descriptor == STDERR_FILENO ? "stderr" : "stdout")
    }

    private func checkWebConfig(_ report: inout CheckReport) -> WebConfigFile? {
        guard !options.webConfigFile.isEmpty else { return nil }
        do {
            return try WebConfigFile.load(path: options.webConfigFile)
        } catch {
            report.problems.append("\(error)")
            return nil
        }
    }

    /// Binds the address with the web config's TLS settings (so a certificate GnuTLS refuses
    /// shows here), then lets it go at once.
    private func checkListener(webConfig: WebConfigFile?, _ report: inout CheckReport) {
        let users = webConfig?.configuration.basicAuthUsers.count ?? 0
        let transport = webConfig?.tls == nil ? "plain HTTP" : "HTTPS"
        let auth = users == 0 ? "no basic auth" : "basic auth for \(users) user\(users == 1 ? "" : "s") (not on /event)"
        report.plan("listen", "\(options.listenAddress), \(transport), \(auth)")
        guard webConfig != nil || options.webConfigFile.isEmpty else { return }  // its problem is already listed
        do {
            let server = try HTTPServer(
                configuration: HTTPServerConfiguration(host: options.listenAddress.host, port: options.listenAddress.port),
                tls: webConfig?.tls, context: webConfig.map { WebPolicy($0.configuration) } ?? WebPolicy.open,
                statistics: HTTPServerStatistics(), handler: { _ in HTTPResponse(status: 503) })
            server.stop()
        } catch {
            report.problems.append("--web.listen-address: \(error)")
        }
    }

    private func describeEvents(_ report: inout CheckReport) {
        var guards = [options.ingestTokenFile.map { "token from \($0)" } ?? "no token"]
        if let sources = options.allowedSources {
            guards.append("pushes only from " + sources.map(\.description).joined(separator: ","))
        } else {
            guards.append("pushes from any address")
        }
        if !options.trustedProxies.isEmpty {
            guards.append("X-Forwarded-For trusted from " + options.trustedProxies.map(\.description).joined(separator: ","))
        }
        report.plan("events", "/event: " + guards.joined(separator: "; "))
    }

    private func checkStorage(_ report: inout CheckReport) {
        guard !options.storage.path.isEmpty else {
            report.plan("storage", "none: everything in memory, a restart forgets every agent")
            return
        }
        let path = ExporterOptions.trimmedPath(options.storage.path)
        let policy = "fsync \(options.storageFsync), snapshot every \(options.snapshotInterval)"
        guard let found = StorageProbe.inspect(path) else {
            report.plan("storage", "\(path): to be created; \(policy)")
            if let problem = StorageProbe.creationProblem(path) { report.problems.append("storage \(path): \(problem)") }
            return
        }
        switch found {
        case .unusable(let problem):
            report.plan("storage", "\(path): \(policy)")
            report.problems.append("storage \(path): \(problem)")
        case .readable(let directory):
            do {
                let ledgerConfiguration = options.ledgerFlags.configuration(tracksPauseCodes: !options.databaseDSN.isEmpty)
                let (ledger, recovery) = try directory.recover(configuration: ledgerConfiguration)
                report.plan(
                    "storage",
                    "\(path): \(policy); would recover \(ledger.agentCount) agent\(ledger.agentCount == 1 ? "" : "s"): "
                        + (recovery.snapshotSegment.map { "snapshot \($0), then " } ?? "no snapshot, ")
                        + "\(recovery.recordsReplayed) journal record\(recovery.recordsReplayed == 1 ? "" : "s")")
                for rejected in recovery.rejectedSnapshots { report.problems.append("storage \(path): unreadable snapshot \(rejected)") }
                for damage in recovery.damage { report.problems.append("storage \(path): damaged journal \(damage)") }
            } catch {
                report.plan("storage", "\(path): \(policy)")
                report.problems.append("storage \(path): \(error)")
            }
            if let problem = StorageProbe.writeProblem(path, directory: directory) {
                report.problems.append("storage \(path): \(problem)")
            }
        }
    }

    private func checkDatabase(_ report: inout CheckReport) {
        guard let database = try? options.database() else {
            if options.databaseDSN.isEmpty { report.plan("database", "none: no campaigns, user groups or pause codes") }
            return
        }
        let reader = EnrichmentReader(
            dsn: database.dsn, timeout: Int(options.databasePollInterval.seconds.rounded(.up)), password: database.password)
        do {
            try reader.probe()
            report.plan(
                "database",
                "\(database.dsn) every \(options.databasePollInterval): reachable, vicidial_live_agents, vicidial_users and vicidial_agent_log readable")
        } catch {
            report.plan("database", "\(database.dsn) every \(options.databasePollInterval)")
            report.problems.append("database \(database.dsn): \(error)")
        }
    }
}

/// What `check` prints: the plan, a line per part, and the problems.
struct CheckReport {
    private(set) var planLines: [(part: String, text: String)] = []
    var problems: [String] = []

    mutating func plan(_ part: String, _ text: String) { planLines.append((part, text)) }

    var planText: String { planLines.map { $0.part + String(repeating: " ", count: max(1, 10 - $0.part.count)) + $0.text + "\n" }.joined() }

    var problemText: String {
        problems.map { "problem: \($0)\n" }.joined() + "FAILED: \(problems.count) problem\(problems.count == 1 ? "" : "s")\n"
    }
}
