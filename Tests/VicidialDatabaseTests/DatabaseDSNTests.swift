import Testing
import VicidialDatabase

@Suite struct DatabaseDSNTests {
    @Test(arguments: [
        ("mysql://cron@127.0.0.1:3306/asterisk", DatabaseDSN(user: "cron", host: "127.0.0.1", port: 3306, database: "asterisk")),
        ("mysql://cron@db.example", DatabaseDSN(user: "cron", host: "db.example", port: 3306, database: "asterisk")),
        ("mariadb://report%40x@10.0.0.5:3307/vicidial", DatabaseDSN(user: "report@x", host: "10.0.0.5", port: 3307, database: "vicidial")),
        ("MySQL://cron@[::1]:3310/", DatabaseDSN(user: "cron", host: "::1", port: 3310, database: "asterisk")),
        ("mysql://cron@[::1]", DatabaseDSN(user: "cron", host: "::1", port: 3306, database: "asterisk")),
        (
            "mysql://cron@localhost/asterisk?socket=/run/mysqld/mysqld.sock",
            DatabaseDSN(user: "cron", host: "localhost", database: "asterisk", socket: "/run/mysqld/mysqld.sock")
        ),
        ("mysql://cron@/asterisk?socket=/tmp/my%20sock", DatabaseDSN(user: "cron", host: "", database: "asterisk", socket: "/tmp/my sock")),
    ])
    func parses(text: String, expected: DatabaseDSN) throws {
        #expect(try DatabaseDSN(parsing: text) == expected)
    }

    @Test(arguments: [
        ("cron@127.0.0.1/asterisk", "it must start with mysql:// (mysql://USER@HOST:PORT/DATABASE)"),
        ("postgres://cron@127.0.0.1/asterisk", "unknown scheme \"postgres\": use mysql:// or mariadb://"),
        ("mysql://127.0.0.1/asterisk", "it names no user: mysql://USER@HOST"),
        ("mysql://@127.0.0.1/asterisk", "it names no user: mysql://USER@HOST"),
        ("mysql://cron:hunter2@127.0.0.1/asterisk", "it carries a password: put the password in --vicidial.db-password-file, not in the DSN"),
        ("mysql://cron:@127.0.0.1/asterisk", "it carries a password: put the password in --vicidial.db-password-file, not in the DSN"),
        ("mysql://cron@127.0.0.1:0/asterisk", "port \"0\" is not a number from 1 to 65535"),
        ("mysql://cron@127.0.0.1:x/asterisk", "port \"x\" is not a number from 1 to 65535"),
        ("mysql://cron@[::1/asterisk", "an IPv6 host must be closed by ]"),
        ("mysql://cron@/asterisk", "it names no host: mysql://USER@HOST, or ?socket=PATH"),
        ("mysql://cron@h/asterisk?ssl=1", "unknown parameter \"ssl\": the only one is socket=PATH"),
        ("mysql://cr%zzon@h/asterisk", "the user holds a % that is not followed by two hex digits"),
    ])
    func refuses(text: String, reason: String) {
        #expect(throws: DatabaseDSNError.self) { try DatabaseDSN(parsing: text) }
        do {
            _ = try DatabaseDSN(parsing: text)
        } catch {
            #expect(error.description == reason)
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func describesItselfWithoutAPassword() throws {
        #expect(try DatabaseDSN(parsing: "mysql://cron@10.0.0.5/asterisk").description == "mysql://cron@10.0.0.5:3306/asterisk")
        #expect(try DatabaseDSN(parsing: "mysql://cron@[::1]:3310/x").description == "mysql://cron@[::1]:3310/x")
        #expect(
            try DatabaseDSN(parsing: "mysql://cron@localhost?socket=/s.sock").description
                == "mysql://cron@localhost/asterisk?socket=/s.sock")
    }
}

@Suite struct PollBackoffTests {
    @Test func doublesFromTheIntervalUpToAMinute() {
        let backoff = PollBackoff(interval: 5)
        #expect((1...6).map { backoff.delay(afterFailures: $0) } == [5, 10, 20, 40, 60, 60])
        #expect(backoff.delay(afterFailures: 1_000) == 60)
    }

    @Test func anIntervalLongerThanTheCapIsKept() {
        #expect(PollBackoff(interval: 120).delay(afterFailures: 3) == 120)
    }
}

@Suite struct DatabaseErrorTests {
    @Test(arguments: [
        (UInt32(1045), DatabaseError.Reason.auth), (1044, .auth), (1142, .auth), (1146, .missingTable), (2002, .connect),
        (2003, .connect), (2005, .connect), (2006, .lost), (2013, .lost), (1054, .query), (1064, .query),
    ])
    func mapsErrorNumbers(number: UInt32, reason: DatabaseError.Reason) {
        #expect(DatabaseError.reason(forErrorNumber: number) == reason)
    }
}
