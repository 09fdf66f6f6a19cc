import Foundation
import HTTPClient
import TestSupport
import Testing

/// The release binary reading a real MariaDB (started by the test on 127.0.0.1, loaded with
/// VICIdial's own table definitions) through `--vicidial.db-dsn`: user groups and campaigns as
/// VICIdial's tables hold them, the database going away and coming back, wrong credentials, a
/// missing table, and the password kept out of the log, /metrics and --help.
@Suite(.serialized) struct EnrichmentIntegrationTests {
    /// An exporter polling `database` every second, with its password in a file.
    static func exporter(_ database: MariaDBServer, password: String? = nil, extra: [String] = []) throws -> (ExporterProcess, URL) {
        let passwordFile = ExternalTool.temporaryFile("db-password")
        try ((password ?? database.password) + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
        let exporter = try ExporterProcess(arguments: [
            "--vicidial.db-dsn", database.dsn, "--vicidial.db-password-file", passwordFile.path,
            "--vicidial.db-poll-interval", "1s",
        ] + extra)
        return (exporter, passwordFile)
    }

    static func push(_ port: UInt16, _ user: String, _ event: String, counter: Int, epoch: Int? = nil, agentLogID: Int? = nil) throws -> Int {
        let body = "user=\(user)&event=\(event)&message=&lead_id=&counter=\(counter)&epoch=\(epoch.map(String.init) ?? "")"
            + "&agent_log_id=\(agentLogID.map(String.init) ?? "")"
        let client = try RawHTTPClient(port: port)
        try client.send(
            "POST /event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try client.readResponse().status
    }

    /// The lines of /metrics that start with `prefix`, in page order.
    static func lines(_ port: UInt16, _ prefix: String) throws -> [String] {
        try loopbackGet(port, "/metrics").bodyText.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    static func errorCounts(_ port: UInt16) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in try lines(port, "vicidial_exporter_db_errors_total{reason=\"") {
            let reason = line.dropFirst("vicidial_exporter_db_errors_total{reason=\"".count).prefix { $0 != "\"" }
            counts[String(reason)] = Int(line.split(separator: " ").last!)
        }
        return counts
    }

    @Test func userGroupsAndCampaignsFollowVICIdialsTablesThroughAnOutage() throws {
        let database = try MariaDBServer()
        try database.sql("""
            INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES
              ('1001', 'x', 'Ana Pérez', 'SALES'), ('1002', 'x', 'Bo "Quote" Li', 'SUPPORT'),
              ('1003', 'x', 'Cy O\\'Neil', 'SALES'), ('9999', 'x', 'Never Pushed', 'ADMIN');
            INSERT INTO vicidial_live_agents (user, server_ip, lead_id, campaign_id, status, pause_code, agent_log_id) VALUES
              ('1001', '10.0.0.1', 0, 'OUTB', 'READY', '', 501), ('1002', '10.0.0.1', 0, 'INB', 'PAUSED', 'BREAK', 502),
              ('1003', '10.0.0.1', 0, 'OUTB', 'INCALL', '', 503);
            """)
        let (exporter, passwordFile) = try Self.exporter(database)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        for (counter, user) in ["1001", "1002", "1003"].enumerated() {
            #expect(try Self.push(exporter.port, user, "logged_in", counter: counter) == 200)
        }
        #expect(try waitUntil(seconds: 15) { try Self.lines(exporter.port, "vicidial_agent_info{").count == 3 })
        // 9999 has a user row but never pushed: not tracked, not shown.
        #expect(try Self.lines(exporter.port, "vicidial_agent_info{") == [
            #"vicidial_agent_info{user="1001",full_name="Ana Pérez",user_group="SALES"} 1"#,
            #"vicidial_agent_info{user="1002",full_name="Bo \"Quote\" Li",user_group="SUPPORT"} 1"#,
            #"vicidial_agent_info{user="1003",full_name="Cy O'Neil",user_group="SALES"} 1"#,
        ])
        #expect(try Self.lines(exporter.port, "vicidial_agent_campaign_info{") == [
            #"vicidial_agent_campaign_info{user="1001",campaign="OUTB"} 1"#,
            #"vicidial_agent_campaign_info{user="1002",campaign="INB"} 1"#,
            #"vicidial_agent_campaign_info{user="1003",campaign="OUTB"} 1"#,
        ])
        #expect(try Self.lines(exporter.port, "vicidial_exporter_db_up ") == ["vicidial_exporter_db_up 1"])
        #expect(try Self.errorCounts(exporter.port) == ["connect": 0, "auth": 0, "missing_table": 0, "lost": 0, "query": 0])

        // 1002 moves to OUTB, 1003 logs out: their old series go, as VICIdial's row does.
        try database.sql("UPDATE vicidial_live_agents SET campaign_id = 'OUTB' WHERE user = '1002'; DELETE FROM vicidial_live_agents WHERE user = '1003'")
        let moved = [
            #"vicidial_agent_campaign_info{user="1001",campaign="OUTB"} 1"#,
            #"vicidial_agent_campaign_info{user="1002",campaign="OUTB"} 1"#,
        ]
        #expect(try waitUntil(seconds: 15) { try Self.lines(exporter.port, "vicidial_agent_campaign_info{") == moved })

        // The database goes away: db_up 0, the last values stay, pushes are taken as before.
        try database.stop()
        #expect(try waitUntil(seconds: 15) { try Self.lines(exporter.port, "vicidial_exporter_db_up ") == ["vicidial_exporter_db_up 0"] })
        #expect(try Self.push(exporter.port, "1001", "state_paused", counter: 3) == 200)
        #expect(try Self.lines(exporter.port, "vicidial_agent_campaign_info{") == moved)
        #expect(try Self.lines(exporter.port, "vicidial_agent_info{").count == 3)
        let outage = try Self.errorCounts(exporter.port)
        #expect((outage["connect"] ?? 0) + (outage["lost"] ?? 0) >= 1)
        #expect(outage["auth"] == 0 && outage["missing_table"] == 0 && outage["query"] == 0)

        // It comes back and is picked up by itself (backoff: within a few seconds here).
        try database.start()
        #expect(try waitUntil(seconds: 30) { try Self.lines(exporter.port, "vicidial_exporter_db_up ") == ["vicidial_exporter_db_up 1"] })
        #expect(try Self.errorCounts(exporter.port) == outage, "no error once it answers again")
        #expect(try Self.lines(exporter.port, "vicidial_agent_state{user=\"1001\",state=\"pause\"} ") == [
            #"vicidial_agent_state{user="1001",state="pause"} 1"#
        ])
        #expect(try exporter.terminate() == 0)
        #expect(exporter.log.contains(#"msg="cannot read VICIdial's database: enrichment keeps its last values, retrying with backoff""#))
        #expect(exporter.log.contains(#"msg="VICIdial's database answers again: enrichment resumes""#))
        #expect(!exporter.log.contains(database.password), "the password reached the log")
    }

    /// Sleeps until Unix second `second` has begun.
    static func wait(until second: Int) {
        let now = Date().timeIntervalSince1970
        if Double(second) > now { usleep(useconds_t((Double(second) - now) * 1_000_000)) }
    }

    /// Pause codes set the way VICIdial's PauseCodeSubmit sets them: the first code of a pause
    /// on the pause's row (`sub_status`) and in `vicidial_live_agents.pause_code`; another code
    /// in the same pause closes the row's part (`pause_sec`) and opens a new row from that second.
    @Test func pauseSecondsGoToTheCodesVICIdialRecorded() throws {
        let database = try MariaDBServer()
        let (exporter, passwordFile) = try Self.exporter(database)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        let t = Int(Date().timeIntervalSince1970) + 2
        func rows(_ sql: String) throws { try database.sql(sql) }

        Self.wait(until: t)
        try rows("""
            INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES ('1001', 'x', 'Ana', 'SALES'), ('1002', 'x', 'Bo', 'SUPPORT');
            INSERT INTO vicidial_agent_log (agent_log_id, user, server_ip, event_time, campaign_id, pause_epoch, wait_epoch, user_group)
              VALUES (601, '1001', '10.0.0.1', NOW(), 'OUTB', \(t), \(t), 'SALES'), (611, '1002', '10.0.0.1', NOW(), 'INB', \(t), \(t), 'SUPPORT');
            INSERT INTO vicidial_live_agents (user, server_ip, lead_id, campaign_id, status, pause_code, agent_log_id) VALUES
              ('1001', '10.0.0.1', 0, 'OUTB', 'PAUSED', '', 601), ('1002', '10.0.0.1', 0, 'INB', 'PAUSED', '', 611);
            """)
        #expect(try Self.push(exporter.port, "1001", "logged_in", counter: 0, epoch: t, agentLogID: 601) == 200)
        #expect(try Self.push(exporter.port, "1002", "logged_in", counter: 0, epoch: t, agentLogID: 611) == 200)

        Self.wait(until: t + 2)  // 1001 picks BREAK, the first code of the pause
        #expect(try Self.push(exporter.port, "1001", "pause_code_open", counter: 1, epoch: t + 2, agentLogID: 601) == 200)
        try rows("""
            UPDATE vicidial_live_agents SET pause_code = 'BREAK' WHERE user = '1001';
            UPDATE vicidial_agent_log SET sub_status = 'BREAK', pause_type = 'AGENT' WHERE agent_log_id = 601;
            """)
        Self.wait(until: t + 3)  // 1002 goes READY without a code
        #expect(try Self.push(exporter.port, "1002", "state_ready", counter: 1, epoch: t + 3, agentLogID: 611) == 200)
        try rows("UPDATE vicidial_live_agents SET status = 'READY' WHERE user = '1002'; UPDATE vicidial_agent_log SET pause_sec = 3 WHERE agent_log_id = 611")

        Self.wait(until: t + 5)  // 1001 switches to LUNCH in the same pause: a new row from here
        try rows("""
            UPDATE vicidial_agent_log SET pause_sec = 5 WHERE agent_log_id = 601;
            INSERT INTO vicidial_agent_log (agent_log_id, user, server_ip, event_time, campaign_id, pause_epoch, pause_sec, wait_epoch, user_group, sub_status, pause_type)
              VALUES (602, '1001', '10.0.0.1', NOW(), 'OUTB', \(t + 5), 0, \(t + 5), 'SALES', 'LUNCH', 'AGENT');
            UPDATE vicidial_live_agents SET agent_log_id = 602, pause_code = 'LUNCH' WHERE user = '1001';
            """)
        Self.wait(until: t + 8)
        #expect(try Self.push(exporter.port, "1001", "state_ready", counter: 2, epoch: t + 8, agentLogID: 602) == 200)
        try rows("UPDATE vicidial_live_agents SET status = 'READY', pause_code = '' WHERE user = '1001'; UPDATE vicidial_agent_log SET pause_sec = 3 WHERE agent_log_id = 602")

        let expected = [
            #"vicidial_agent_pause_code_seconds_total{user="1001",pause_code="BREAK"} 5"#,
            #"vicidial_agent_pause_code_seconds_total{user="1001",pause_code="LUNCH"} 3"#,
            #"vicidial_agent_pause_code_seconds_total{user="1002",pause_code="no_code"} 3"#,
        ]
        #expect(try waitUntil(seconds: 15) { try Self.lines(exporter.port, "vicidial_agent_pause_code_seconds_total{") == expected })
        // Every second of pause under exactly one code: the sums are the pause state's seconds.
        #expect(try Self.lines(exporter.port, #"vicidial_agent_state_seconds_total{user="1001",state="pause"}"#) == [
            #"vicidial_agent_state_seconds_total{user="1001",state="pause"} 8"#
        ])
        #expect(try Self.lines(exporter.port, #"vicidial_agent_state_seconds_total{user="1002",state="pause"}"#) == [
            #"vicidial_agent_state_seconds_total{user="1002",state="pause"} 3"#
        ])

        // The totals survive a restart (journal and snapshot), as the other counters do.
        let storage = exporter.storage
        #expect(try exporter.terminate() == 0)
        let restarted = try ExporterProcess(arguments: [
            "--vicidial.db-dsn", database.dsn, "--vicidial.db-password-file", passwordFile.path, "--vicidial.db-poll-interval", "1s",
        ], storage: storage)
        #expect(try Self.lines(restarted.port, "vicidial_agent_pause_code_seconds_total{") == expected)
    }

    /// vicidial-agent-sim playing VICIdial's server too: every agent's pause seconds end up under
    /// the codes it wrote (LOGIN for the login pause, then the codes its agents pick), adding up to
    /// the pause state's seconds exactly; groups and campaigns as it assigned them; no agent left
    /// logged into a campaign once all have logged out.
    @Test func theSimulatorDrivesTheDatabaseTheExporterReads() throws {
        let database = try MariaDBServer()
        let (exporter, passwordFile) = try Self.exporter(database, extra: ["--agent.max-clock-skew", "48h"])
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        let simulator = try ManagedProcess(
            name: "vicidial-agent-sim", executable: releaseBinary("vicidial-agent-sim", environment: "VICIDIAL_AGENT_SIM_BIN"),
            arguments: [
                "--target", "127.0.0.1:\(exporter.port)", "--agents", "6", "--speed", "60", "--duration", "20s", "--seed", "5",
                "--jitter", "100ms", "--vicidial.db-dsn", database.writerDSN, "--vicidial.db-password-file", passwordFile.path,
            ])
        #expect(try simulator.waitUntilExit(seconds: 60) == 0, "simulator: \(simulator.log.suffix(2000))")
        let users = (1...6).map { "sim00\($0)" }
        // Every pause ended with the logouts; the next polls attribute what is left.
        let settled = try waitUntil(seconds: 15) {
            try users.allSatisfy { user in
                let pause = try Self.lines(exporter.port, #"vicidial_agent_state_seconds_total{user="\#(user)",state="pause"}"#)
                    .first.flatMap { Double($0.split(separator: " ").last!) } ?? -1
                let codes = try Self.lines(exporter.port, #"vicidial_agent_pause_code_seconds_total{user="\#(user)","#)
                    .compactMap { Double($0.split(separator: " ").last!) }
                return pause > 0 && codes.reduce(0, +) == pause
            }
        }
        #expect(settled, "pause codes do not add up to the pause seconds")
        let codeLines = try Self.lines(exporter.port, "vicidial_agent_pause_code_seconds_total{")
        let labels = Set(codeLines.compactMap { line in line.split(separator: "\"").dropFirst(3).first.map(String.init) })
        #expect(labels.isSubset(of: ["LOGIN", "BREAK", "LUNCH", "TRAIN", "MEET", "no_code", "unknown"]), "\(labels)")
        for user in users {
            #expect(codeLines.contains { $0.hasPrefix(#"vicidial_agent_pause_code_seconds_total{user="\#(user)",pause_code="LOGIN"}"#) }, "\(user)")
        }
        #expect(try Self.lines(exporter.port, "vicidial_agent_info{").count == 6)
        #expect(try Self.lines(exporter.port, "vicidial_agent_info{").contains(#"vicidial_agent_info{user="sim002",full_name="Simulated agent 2",user_group="SUPPORT"} 1"#))
        #expect(try Self.lines(exporter.port, "vicidial_agent_campaign_info{").isEmpty, "everyone logged out")
    }

    @Test func wrongPasswordIsAnAuthErrorAndIsNeverShown() throws {
        let database = try MariaDBServer()
        let wrong = "wrong-\(database.password)"
        let (exporter, passwordFile) = try Self.exporter(database, password: wrong)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        #expect(try Self.push(exporter.port, "1001", "logged_in", counter: 0) == 200)
        #expect(try waitUntil(seconds: 15) { (try Self.errorCounts(exporter.port)["auth"] ?? 0) >= 1 })
        let counts = try Self.errorCounts(exporter.port)
        #expect(counts["connect"] == 0 && counts["missing_table"] == 0 && counts["lost"] == 0 && counts["query"] == 0)
        let metrics = try loopbackGet(exporter.port, "/metrics").bodyText
        #expect(metrics.contains("vicidial_exporter_db_up 0\n"))
        #expect(!metrics.contains("vicidial_agent_info{"))
        #expect(!metrics.contains(wrong) && !metrics.contains(database.password))
        #expect(try exporter.terminate() == 0)
        #expect(exporter.log.contains("reason=auth"))
        #expect(exporter.log.contains("Access denied for user 'exporter'@'127.0.0.1'"))
        #expect(!exporter.log.contains(wrong), "the password reached the log")
    }

    @Test func aMissingTableIsReportedAsSuch() throws {
        let database = try MariaDBServer()
        try database.sql("DROP TABLE vicidial_live_agents")
        let (exporter, passwordFile) = try Self.exporter(database)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        #expect(try waitUntil(seconds: 15) { (try Self.errorCounts(exporter.port)["missing_table"] ?? 0) >= 1 })
        let counts = try Self.errorCounts(exporter.port)
        #expect(counts["connect"] == 0 && counts["auth"] == 0 && counts["lost"] == 0 && counts["query"] == 0)
        #expect(try Self.lines(exporter.port, "vicidial_exporter_db_up ") == ["vicidial_exporter_db_up 0"])
        #expect(try Self.push(exporter.port, "1001", "logged_in", counter: 0) == 200)
        #expect(try exporter.terminate() == 0)
        #expect(exporter.log.contains("reason=missing_table"))
        #expect(exporter.log.contains("vicidial_live_agents' doesn't exist"))
    }

    /// Down when the exporter starts: it starts anyway, says so, and picks the database up once it
    /// answers. Through the Unix socket this time (`?socket=`).
    @Test func aDatabaseDownAtStartIsPickedUpThroughItsSocket() throws {
        let database = try MariaDBServer()
        try database.sql("CREATE USER 'exporter'@'localhost' IDENTIFIED BY '\(database.password)'; GRANT SELECT ON asterisk.* TO 'exporter'@'localhost'", database: nil)
        try database.sql("INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES ('1001', 'x', 'Ana', 'SALES')")
        try database.stop()
        let passwordFile = ExternalTool.temporaryFile("db-password")
        try database.password.write(to: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        let exporter = try ExporterProcess(arguments: [
            "--vicidial.db-dsn", "mysql://exporter@localhost/asterisk?socket=\(database.socket)",
            "--vicidial.db-password-file", passwordFile.path, "--vicidial.db-poll-interval", "1s",
        ])
        #expect(try Self.push(exporter.port, "1001", "logged_in", counter: 0) == 200)
        #expect(try waitUntil(seconds: 15) { (try Self.errorCounts(exporter.port)["connect"] ?? 0) >= 1 })
        #expect(try Self.lines(exporter.port, "vicidial_exporter_db_up ") == ["vicidial_exporter_db_up 0"])
        try database.start()
        #expect(try waitUntil(seconds: 30) { try Self.lines(exporter.port, "vicidial_exporter_db_up ") == ["vicidial_exporter_db_up 1"] })
        #expect(try Self.lines(exporter.port, "vicidial_agent_info{") == [#"vicidial_agent_info{user="1001",full_name="Ana",user_group="SALES"} 1"#])
        #expect(try exporter.terminate() == 0)
        #expect(exporter.log.contains("dsn=\"mysql://exporter@localhost/asterisk?socket=\(database.socket)\""))
    }

    @Test(arguments: [
        (["--vicidial.db-dsn", "mysql://exporter@127.0.0.1/asterisk", "--vicidial.db-poll-interval", "500ms"],
         "--vicidial.db-poll-interval must be at least 1s"),
        (["--vicidial.db-password-file", "/nonexistent"], "--vicidial.db-password-file needs --vicidial.db-dsn"),
        (["--vicidial.db-dsn", "mysql://exporter@127.0.0.1/asterisk", "--vicidial.db-password-file", "/nonexistent/password"],
         "--vicidial.db-password-file: cannot read the password file /nonexistent/password: No such file or directory"),
        (["--vicidial.db-dsn", "postgres://exporter@127.0.0.1/asterisk"], "--vicidial.db-dsn: unknown scheme \"postgres\": use mysql:// or mariadb://"),
    ])
    func badDatabaseFlagsAreRefusedAtStart(flags: [String], message: String) throws {
        let (status, errors) = try refusedStart(flags)
        #expect(status != 0)
        #expect(errors.contains(message), "\(errors)")
    }

    @Test func aPasswordInTheDSNIsRefusedWithoutBeingRepeated() throws {
        let exporter = releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN")
        let secret = "Sup3r-s3cret-in-dsn"
        let refused = try ExternalTool.run(exporter, ["--vicidial.db-dsn", "mysql://cron:\(secret)@127.0.0.1/asterisk"])
        #expect(refused.status != 0)
        #expect(refused.combined.contains("--vicidial.db-dsn: it carries a password: put the password in --vicidial.db-password-file"))
        #expect(!refused.combined.contains(secret))
        let help = try ExternalTool.run(exporter, ["--help"])
        #expect(help.combined.contains("--vicidial.db-password-file"))
        #expect(!help.combined.contains(secret))
    }
}
