import Foundation
import TestSupport
import Testing

/// The release binary under the system-call restrictions of contrib/systemd/vicidial-exporter.service
/// (MemoryDenyWriteExecute, SystemCallFilter=@system-service, RestrictAddressFamilies,
/// SystemCallArchitectures=native, NoNewPrivileges, and as root no user and no capabilities):
/// with TLS, basic auth, a token, the journal and VICIdial's database it serves pushes and
/// scrapes, stops cleanly and starts again from its snapshot. The filter kills the exporter on
/// any system call outside @system-service, so a pass means it needs none.
@Suite(.serialized) struct ServiceSandboxIntegrationTests {
    @Test func theSandboxRefusesWhatTheUnitForbids() throws {
        let sandbox = try ServiceSandbox()
        let probe = try ExternalTool.run(sandbox.helper, ["--probe"])
        #expect(probe.status == 0, "\(probe.combined)")
        #expect(probe.output == """
            mmap(PROT_WRITE|PROT_EXEC): EPERM
            mmap(PROT_WRITE): allowed
            mprotect(PROT_EXEC): EPERM
            socket(AF_NETLINK): EAFNOSUPPORT
            socket(AF_INET6): allowed
            reboot: SYS

            """)
    }

    @Test func theExporterServesAndStopsCleanlyInsideTheSandbox() throws {
        let sandbox = try ServiceSandbox()
        let pki = try TestPKI()
        let database = try MariaDBServer()
        let secret = "Vx-3c9e1f7a2b6d4e08"
        try pki.write("token", secret + "\n")
        try pki.write("db-password", database.password + "\n")
        try pki.write("web-config.yml", """
            tls_server_config:
              cert_file: ca-server.crt
              key_file: ca-server.key
            basic_auth_users:
              prometheus: \(try bcryptHash(user: "prometheus", password: "scrape-pw"))

            """)
        try sandbox.letTheServiceRead(["web-config.yml", "ca-server.crt", "ca-server.key", "token", "db-password"].map(pki.path))
        let arguments = [
            "--web.config.file", pki.path("web-config.yml"), "--ingest.token-file", pki.path("token"),
            "--ingest.allowed-sources", "127.0.0.1", "--vicidial.db-dsn", database.dsn,
            "--vicidial.db-password-file", pki.path("db-password"), "--vicidial.db-poll-interval", "1s",
        ]
        let storage = StorageDirectoryForTests()
        let exporter = try ExporterProcess(arguments: arguments, storage: storage, launcher: try sandbox.launcher())

        let status = try String(contentsOfFile: "/proc/\(exporter.processIdentifier)/status", encoding: .utf8)
        var expected = ["Seccomp:\t2", "NoNewPrivs:\t1"]
        if ServiceSandbox.runningAsRoot {
            let nobody = try ServiceSandbox.nobody()
            expected += ["Uid:\t\(nobody.uid)\t\(nobody.uid)\t\(nobody.uid)\t\(nobody.uid)", "CapBnd:\t0000000000000000", "CapEff:\t0000000000000000"]
        }
        for line in expected { #expect(status.contains("\n" + line + "\n"), "\(line) in \(status)") }

        let url = "https://127.0.0.1:\(exporter.port)"
        let trust = ["--cacert", pki.path("ca.crt")]
        let epoch = Int(Date().timeIntervalSince1970) - 60
        for (counter, event) in ["logged_in", "state_ready"].enumerated() {
            let pushed = try curl(trust + [
                "--data-raw", "token=\(secret)&user=6666&event=\(event)&counter=\(counter)&epoch=\(epoch + counter)&message=", url + "/event",
            ])
            #expect(pushed.status == 200 && pushed.body == "accepted\n", "\(event): \(pushed)")
        }
        func scrape(_ port: UInt16) throws -> String {
            try curl(trust + ["--user", "prometheus:scrape-pw", "https://127.0.0.1:\(port)/metrics"]).body
        }
        #expect(try waitUntil(seconds: 10) { try scrape(exporter.port).contains("vicidial_exporter_db_up 1\n") }, "the database is read inside the sandbox")
        let metrics = try scrape(exporter.port)
        for line in [
            #"vicidial_agent_logins_total{user="6666"} 1"#, #"vicidial_agent_state{user="6666",state="wait"} 1"#,
            "vicidial_exporter_storage_healthy 1", #"vicidial_exporter_web_auth_failures_total{reason="wrong"} 0"#,
        ] {
            #expect(metrics.contains(line + "\n"), "missing: \(line)")
        }
        #expect(metrics.contains("\nprocess_open_fds "), "/proc is readable")

        #expect(try exporter.terminate() == 0, "\(exporter.log)")
        #expect(exporter.log.contains("msg=\"stopped: journal synced and snapshot written\""), "\(exporter.log)")

        let restarted = try ExporterProcess(arguments: arguments, storage: storage, launcher: try sandbox.launcher())
        #expect(try scrape(restarted.port).contains(#"vicidial_agent_logins_total{user="6666"} 1"# + "\n"), "recovered inside the sandbox")
        #expect(try restarted.terminate() == 0, "\(restarted.log)")
    }
}
