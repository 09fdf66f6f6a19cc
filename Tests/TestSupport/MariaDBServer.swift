import Foundation

/// A real MariaDB server (Debian `mariadb-server`) for the enrichment tests: a fresh data
/// directory, 127.0.0.1 on a free port, VICIdial's own definitions of the tables enrichment reads
/// (Tests/Fixtures/vicidial-agent-tables.sql) in database `asterisk`, and a user with SELECT on
/// it only, as docs/enrichment.md tells an admin to create. Stopped and removed with the object.
public final class MariaDBServer {
    public static let database = "asterisk"
    public static let user = "exporter"

    public let port: UInt16
    /// The read-only user's password: distinctive, so tests can look for it where it must not be.
    public let password = "pw-\(UUID().uuidString.prefix(8))-never-shown"
    public let directory: URL
    private var process: ManagedProcess?

    /// The server's Unix socket (root connects through it; so may a `?socket=` DSN).
    public var socket: String { directory.appendingPathComponent("mariadb.sock").path }
    private var dataDirectory: String { directory.appendingPathComponent("data").path }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vicidial-mariadb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        // Once more on a failure: under a loaded machine (several suites starting servers at
        // once) the bootstrap has been seen to fail once and pass at once on a clean directory.
        var install = try Self.install(dataDirectory)
        if install.status != 0 {
            try? FileManager.default.removeItem(atPath: dataDirectory)
            install = try Self.install(dataDirectory)
        }
        guard install.status == 0 else { throw SetupError("mariadb-install-db failed: \(install.combined)") }
        try start()
        let schema = packageRoot.appendingPathComponent("Tests/Fixtures/vicidial-agent-tables.sql")
        try sql("CREATE DATABASE \(Self.database)", database: nil)
        let loaded = try ExternalTool.run(try Self.tool("mariadb"), clientArguments(database: Self.database), input: schema)
        guard loaded.status == 0 else { throw SetupError("loading VICIdial's tables failed: \(loaded.combined)") }
        try sql(
            "CREATE USER '\(Self.user)'@'127.0.0.1' IDENTIFIED BY '\(password)'; "
                + "GRANT SELECT ON \(Self.database).* TO '\(Self.user)'@'127.0.0.1'; "
                + "CREATE USER '\(Self.writer)'@'127.0.0.1' IDENTIFIED BY '\(password)'; "
                + "GRANT SELECT, INSERT, UPDATE, DELETE ON \(Self.database).* TO '\(Self.writer)'@'127.0.0.1'", database: nil)
    }

    /// A user that may write the tables, as VICIdial's own (`cron`) does: for the simulator playing
    /// VICIdial's server. Same password as the read-only user.
    public static let writer = "vicidial"

    public var writerDSN: String { "mysql://\(Self.writer)@127.0.0.1:\(port)/\(Self.database)" }

    deinit {
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    /// The DSN the exporter is given (its password goes in a file).
    public var dsn: String { "mysql://\(Self.user)@127.0.0.1:\(port)/\(Self.database)" }

    /// Starts the server on its data directory and port; returns once it takes connections.
    public func start() throws {
        let server = try ManagedProcess(
            name: "mariadbd", executable: try Self.tool("mariadbd"),
            arguments: [
                "--no-defaults", "--datadir=\(dataDirectory)", "--socket=\(socket)", "--port=\(port)",
                "--bind-address=127.0.0.1", "--user=\(Self.osUser)", "--skip-log-bin", "--skip-name-resolve",
                "--innodb-buffer-pool-size=16M", "--pid-file=\(directory.appendingPathComponent("mariadb.pid").path)",
            ])
        process = server
        try server.waitForLog(seconds: 60) { $0.contains("ready for connections") ? true : nil }
    }

    /// Stops the server (SIGTERM, then waits): the database goes away mid-test.
    public func stop() throws {
        guard let server = process else { return }
        _ = try server.terminate()
        process = nil
    }

    /// Runs `statements` as root through the Unix socket.
    public func sql(_ statements: String, database: String? = MariaDBServer.database) throws {
        let result = try ExternalTool.run(try Self.tool("mariadb"), clientArguments(database: database), input: Array(statements.utf8))
        guard result.status == 0 else { throw SetupError("SQL failed: \(result.combined)\n\(statements)") }
    }

    private func clientArguments(database: String?) -> [String] {
        ["--no-defaults", "--socket=\(socket)", "--user=\(Self.osUser)"] + (database.map { [$0] } ?? [])
    }

    private static func install(_ dataDirectory: String) throws -> ExternalTool.Result {
        try ExternalTool.run(
            try tool("mariadb-install-db"),
            ["--no-defaults", "--datadir=\(dataDirectory)", "--auth-root-authentication-method=socket", "--user=\(osUser)",
             "--skip-test-db"])
    }

    /// The user the server runs as and root logs in as (unix_socket authentication).
    private static var osUser: String { ProcessInfo.processInfo.environment["USER"] ?? NSUserName() }

    /// Debian puts the server in /usr/sbin, which may not be on a test's PATH.
    private static func tool(_ name: String) throws -> URL {
        for directory in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return try ExternalTool.find(name, install: "apt-get install mariadb-server")
    }
}
