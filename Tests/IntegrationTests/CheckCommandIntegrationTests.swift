import Foundation
import HTTPClient
import TestSupport
import Testing

/// `vicidial-exporter check` on the release binary: good and bad set-ups, each with the exact
/// plan on stdout, the exact problems on stderr and the exit status. Temporary paths and ports
/// are written as `$DIR` and `$PORT` in the expectations.
@Suite(.serialized) struct CheckCommandIntegrationTests {
    static let agents = "agents    reorder window 1s, clock skew up to 1h, session timeout 12h, expire after 1w, at most 10000 agents\n"
    static let noDatabase = "database  none: no campaigns, user groups or pause codes\n"

    /// A scratch directory with a free loopback port (bound, then released, by the kernel).
    final class Scratch {
        let directory = StorageDirectoryForTests()
        let port: UInt16

        init() throws {
            try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
            port = try freeLoopbackPort()
        }

        var path: String { directory.path }

        func write(_ text: String, to name: String) throws {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }

        /// Runs `check` and gives back its streams with the scratch path and port made symbolic.
        func check(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            let exporter = releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN")
            let result = try ExternalTool.run(exporter, ["check"] + arguments)
            func symbolic(_ text: String) -> String {
                text.replacingOccurrences(of: path, with: "$DIR").replacingOccurrences(of: ":\(port)", with: ":$PORT")
            }
            return (result.status, symbolic(result.output), symbolic(result.errors))
        }
    }

    @Test func aFirstStartOnAFreshMachinePasses() throws {
        let scratch = try Scratch()
        let result = try scratch.check(["--web.listen-address", "127.0.0.1:\(scratch.port)", "--storage.path", scratch.path + "/data"])
        #expect(result.errors == "")
        #expect(result.output == """
            listen    127.0.0.1:$PORT, plain HTTP, no basic auth
            events    /event: no token; pushes from any address
            metrics   /metrics
            storage   $DIR/data: to be created; fsync 1s, snapshot every 5m
            \(Self.noDatabase)\(Self.agents)OK: the exporter would start with these flags

            """)
        #expect(result.status == 0)
    }

    @Test func aSecuredSetUpWithHistoryPasses() throws {
        let scratch = try Scratch()
        try scratch.write("s3cret-token-for-the-check\n", to: "token")
        // A first run leaves a snapshot of one agent behind at its clean stop.
        let first = try ExporterProcess(arguments: ["--storage.path", scratch.path + "/data"])
        #expect(try loopbackGet(first.port, "/event?user=1001&event=logged_in&counter=0&message=").status == 200)
        #expect(try first.terminate() == 0)

        let result = try scratch.check([
            "--web.listen-address", "127.0.0.1:\(scratch.port)", "--storage.path", scratch.path + "/data/",
            "--ingest.token-file", scratch.path + "/token", "--ingest.allowed-sources", "10.1.0.0/16,127.0.0.1",
            "--web.trusted-proxies", "127.0.0.1", "--storage.fsync", "always", "--agent.max-agents", "500",
        ])
        #expect(result.errors == "")
        #expect(result.output == """
            listen    127.0.0.1:$PORT, plain HTTP, no basic auth
            events    /event: token from $DIR/token; pushes only from 10.1.0.0/16,127.0.0.1/32; X-Forwarded-For trusted from 127.0.0.1/32
            metrics   /metrics
            storage   $DIR/data: fsync always, snapshot every 5m; would recover 1 agent: snapshot 2, then 0 journal records
            \(Self.noDatabase)agents    reorder window 1s, clock skew up to 1h, session timeout 12h, expire after 1w, at most 500 agents
            OK: the exporter would start with these flags

            """)
        #expect(result.status == 0)
    }

    @Test func everyProblemGetsItsOwnLine() throws {
        let scratch = try Scratch()
        try scratch.write("not a directory", to: "file")
        try scratch.write("tls_server_config:\n  cert_file: absent.crt\n", to: "web.yml")
        let closedPort = try freeLoopbackPort()
        let result = try scratch.check([
            "--web.listen-address", "127.0.0.1:\(scratch.port)", "--storage.path", scratch.path + "/file",
            "--ingest.token-file", scratch.path + "/absent-token", "--web.config.file", scratch.path + "/web.yml",
            "--vicidial.db-dsn", "mysql://cron@127.0.0.1:\(closedPort)/asterisk", "--log.level", "loud",
        ])
        #expect(result.output == """
            listen    127.0.0.1:$PORT, plain HTTP, no basic auth
            events    /event: token from $DIR/absent-token; pushes from any address
            metrics   /metrics
            storage   $DIR/file: fsync 1s, snapshot every 5m
            database  mysql://cron@127.0.0.1:\(closedPort)/asterisk every 5s
            \(Self.agents)
            """)
        #expect(result.errors == """
            problem: --ingest.token-file $DIR/absent-token: No such file or directory
            problem: --log.level must be debug, info, warn or error
            problem: web config $DIR/web.yml: tls_server_config: missing one of key or key_file
            problem: storage $DIR/file: not a directory
            problem: database mysql://cron@127.0.0.1:\(closedPort)/asterisk: connect: Can't connect to server on '127.0.0.1' (115)
            FAILED: 5 problems

            """)
        #expect(result.status == 1)
    }

    @Test func aRunningExporterHoldsItsAddressAndDirectory() throws {
        let scratch = try Scratch()
        let running = try ExporterProcess(arguments: ["--storage.path", scratch.path + "/data"])
        let result = try scratch.check(["--web.listen-address", "127.0.0.1:\(running.port)", "--storage.path", scratch.path + "/data"])
        #expect(try running.terminate() == 0)
        #expect(result.output.contains("storage   $DIR/data: fsync 1s, snapshot every 5m; would recover 0 agents: no snapshot, 0 journal records\n"))
        #expect(result.errors == """
            problem: --web.listen-address: cannot listen on 127.0.0.1:\(running.port): Failed to bind to port \(running.port): Address already in use
            problem: storage $DIR/data: in use by a running vicidial-exporter (its lock file is held)
            FAILED: 2 problems

            """)
        #expect(result.status == 1)
    }

    /// VICIdial's database, read as enrichment reads it: reachable with every table, then a
    /// user without the grant on one table.
    @Test func theDatabaseIsTriedWithTheGrantsEnrichmentNeeds() throws {
        let scratch = try Scratch()
        let database = try MariaDBServer()
        try scratch.write(database.password + "\n", to: "db-password")
        let flags = [
            "--web.listen-address", "127.0.0.1:\(scratch.port)", "--storage.path", "",
            "--vicidial.db-dsn", database.dsn, "--vicidial.db-password-file", scratch.path + "/db-password",
        ]
        let good = try scratch.check(flags)
        let dsn = database.dsn.replacingOccurrences(of: ":\(scratch.port)", with: ":$PORT")
        #expect(good.output.contains(
            "database  \(dsn) every 5s: reachable, vicidial_live_agents, vicidial_users and vicidial_agent_log readable\n"))
        #expect(good.errors == "")
        #expect(good.status == 0)

        // Grants on two of the three tables only.
        let user = "'\(MariaDBServer.user)'@'127.0.0.1'"
        try database.sql(
            "REVOKE SELECT ON \(MariaDBServer.database).* FROM \(user); "
                + "GRANT SELECT ON \(MariaDBServer.database).vicidial_live_agents TO \(user); "
                + "GRANT SELECT ON \(MariaDBServer.database).vicidial_users TO \(user)", database: nil)
        let denied = try scratch.check(flags)
        #expect(denied.errors == """
            problem: database \(dsn): auth: SELECT command denied to user 'exporter'@'127.0.0.1' for table `asterisk`.`vicidial_agent_log`
            FAILED: 1 problem

            """)
        #expect(denied.status == 1)
    }
}
