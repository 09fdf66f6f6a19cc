import AgentEvents
import AgentLedger
import ArgumentParser
import DefaultPort
import HTTPServer
import Logging
import PrometheusDuration
import Storage
import VicidialDatabase
import VicidialExporter

/// The exporter's flags, shared by the server (`vicidial-exporter`) and `vicidial-exporter check`,
/// which reads the same command line and says what the server would do with it.
struct ExporterOptions: ParsableArguments {
    // Each option's default comes from the type that holds the setting, so it is written once.
    static let server = HTTPServerConfiguration(port: defaultExporterPort)
    static let exporter = ExporterConfiguration()

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

    /// The accounting flags, in a group `backfill` shares (see `LedgerFlags`).
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

    /// Every problem with the flags and the files they name, one line each: `check` lists them
    /// all; the server refuses to start with them.
    func problems() -> [String] {
        var problems: [String] = []
        if !telemetryPath.hasPrefix("/") || ["/", "/event", "/-/healthy", "/-/ready"].contains(telemetryPath) {
            problems.append("--web.telemetry-path must start with '/' and not be /, /event, /-/healthy or /-/ready")
        }
        for (flag, value, maximum) in [
            ("web.max-connections", maxConnections, 1_000_000), ("web.max-connections-per-ip", maxConnectionsPerIP, 1_000_000),
            ("web.max-answers-in-flight", maxAnswersInFlight, 1_000_000),
            ("web.max-unread-answers-per-ip", maxUnreadAnswersPerIP, 1_000_000), ("web.threads", threads, 1024),
        ] where !(1...maximum).contains(value) {
            problems.append("--\(flag) must be between 1 and \(maximum), got \(value)")
        }
        if readTimeout.seconds <= 0 { problems.append("--web.read-timeout must be more than 0s") }
        if snapshotInterval.seconds < 1 { problems.append("--storage.snapshot-interval must be at least 1s") }
        if storageRetention.seconds < 0 { problems.append("--storage.retention must not be negative") }
        problems += ledgerFlags.problems()
        do {
            if let ingestTokenFile { _ = try Self.readToken(ingestTokenFile) }
        } catch {
            problems.append(error.message)
        }
        do {
            _ = try database()
        } catch {
            problems.append(error.message)
        }
        if databasePollInterval.seconds < 1 { problems.append("--vicidial.db-poll-interval must be at least 1s") }
        if Self.level(logLevel) == nil { problems.append("--log.level must be debug, info, warn or error") }
        if LogFormat(rawValue: logFormat) == nil { problems.append("--log.format must be logfmt or json") }
        return problems
    }

    /// The server's configuration from these flags (the token file is read).
    func exporterConfiguration() throws(ValidationError) -> ExporterConfiguration {
        try ExporterConfiguration(
            telemetryPath: telemetryPath,
            ledger: ledgerFlags.configuration(tracksPauseCodes: !databaseDSN.isEmpty),
            ingestToken: ingestTokenFile.map(Self.readToken),
            allowedSources: allowedSources,
            trustedProxies: trustedProxies)
    }

    /// `--vicidial.db-dsn` parsed, with its password, or nil without one. The DSN is never
    /// echoed back in an error (it might hold a password by mistake).
    func database() throws(ValidationError) -> (dsn: DatabaseDSN, password: @Sendable () throws(DatabaseError) -> String)? {
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

    /// The token in `path`; a missing, unreadable or empty file is refused with its path.
    static func readToken(_ path: String) throws(ValidationError) -> IngestToken {
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
    @Sendable static func addressRanges(_ flag: String) throws -> [AddressRange] {
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
    static func trimmedPath(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    static func level(_ name: String) -> Logger.Level? {
        switch name {
        case "debug": .debug
        case "info": .info
        case "warn": .warning
        case "error": .error
        default: nil
        }
    }
}
