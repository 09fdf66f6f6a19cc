import Foundation
import HTTPClient
import TestSupport
import Testing

/// contrib/ as an admin installs it: the systemd unit passes `systemd-analyze verify` and its
/// offline security review, names every hardening directive, and runs the binary it names; the
/// proxy path is one and the same in every place a reader meets it.
@Suite(.serialized) struct ContribIntegrationTests {
    static let unit = packageRoot.appendingPathComponent("contrib/systemd/vicidial-exporter.service")
    static let installedPath = "/usr/local/bin/vicidial-exporter"

    static func systemdAnalyze() throws -> URL {
        try ExternalTool.find("systemd-analyze", install: "apt-get install systemd")
    }

    /// The unit with its ExecStart pointed at the release binary (verify checks that it exists).
    static func unitForTheBuiltBinary() throws -> URL {
        let text = try String(contentsOf: unit, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("ExecStart=\(installedPath) ") }.count == 1)
        let binary = releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent("vicidial-exporter.service")
        try text.replacingOccurrences(of: "ExecStart=\(installedPath) ", with: "ExecStart=\(binary) ")
            .write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }

    @Test func theUnitVerifiesCleanly() throws {
        let copy = try Self.unitForTheBuiltBinary()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let verify = try ExternalTool.run(try Self.systemdAnalyze(), ["verify", copy.path])
        #expect(verify.status == 0)
        // An unknown or misspelled directive is only a warning: any output about the unit fails.
        #expect(!verify.combined.contains("vicidial-exporter"), "\(verify.combined)")

        // systemd's own exposure score, 0 (confined) to 10 (unprotected): at most 2.0 (1.6 with
        // systemd 252). --threshold counts tenths.
        let security = try ExternalTool.run(try Self.systemdAnalyze(), ["security", "--offline=true", "--threshold=20", copy.path])
        #expect(security.status == 0, "\(security.combined)")
        #expect(security.combined.contains("Overall exposure level for vicidial-exporter.service: "), "\(security.combined)")
    }

    @Test(arguments: [
        "User=vicidial-exporter", "Group=vicidial-exporter", "StateDirectory=vicidial-exporter",
        "ExecStart=/usr/local/bin/vicidial-exporter --storage.path=/var/lib/vicidial-exporter $VICIDIAL_EXPORTER_ARGS",
        "EnvironmentFile=-/etc/default/vicidial-exporter", "Restart=on-failure", "NoNewPrivileges=yes",
        "CapabilityBoundingSet=", "AmbientCapabilities=", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
        "PrivateDevices=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service", "SystemCallErrorNumber=EPERM",
        "MemoryDenyWriteExecute=yes", "LockPersonality=yes", "TimeoutStopSec=60",
    ])
    func theUnitCarries(_ directive: String) throws {
        let lines = try String(contentsOf: Self.unit, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.contains(directive))
    }

    /// The service user of the unit is the one the sysusers entry creates.
    @Test func theSysusersEntryCreatesTheUnitsUser() throws {
        let entry = try String(contentsOf: packageRoot.appendingPathComponent("contrib/systemd/vicidial-exporter.sysusers"), encoding: .utf8)
        #expect(entry.split(separator: "\n").filter { !$0.hasPrefix("#") } == [#"u vicidial-exporter - "VICIdial exporter" /var/lib/vicidial-exporter"#])
    }

    /// The environment file's active flags, as the unit passes them (listen address moved to a
    /// free loopback port): `check` accepts them, and behind contrib's Apache they take a
    /// browser's push while refusing one that goes around the proxy.
    @Test func theEnvironmentFilesFlagsWorkBehindApache() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("contrib/vicidial-exporter.default"), encoding: .utf8)
        let active = text.split(separator: "\n").filter { $0.hasPrefix("VICIDIAL_EXPORTER_ARGS=") }
        #expect(active.count == 1)
        let flags = active.first.map { $0.dropFirst("VICIDIAL_EXPORTER_ARGS=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? ""
        let storage = StorageDirectoryForTests()
        let port = try freeLoopbackPort()
        let arguments = ["--storage.path=\(storage.path)"]
            + flags.split(separator: " ").map { $0.hasPrefix("--web.listen-address=") ? "--web.listen-address=127.0.0.1:\(port)" : String($0) }
        let result = try ExternalTool.run(releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN"), ["check"] + arguments)
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.output.contains("events    /event: no token; pushes only from 127.0.0.1/32\n"))

        let exporter = try ExporterProcess(arguments: arguments, storage: storage)
        let apache = try ApacheServer(proxyingTo: exporter.port)
        let push = "GET /vicidial-events?user=1001&event=logged_in&counter=0&message= HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let browser = try RawHTTPClient(port: apache.port, source: "127.0.0.5")
        try browser.send(push)
        #expect(try browser.readResponse().status == 200)
        let around = try RawHTTPClient(port: exporter.port, source: "127.0.0.6")
        try around.send(push.replacingOccurrences(of: "/vicidial-events?", with: "/event?"))
        let refused = try around.readResponse()
        #expect(refused.status == 403)
        #expect(refused.bodyText == "source address 127.0.0.6 may not push events: it is not in --ingest.allowed-sources\n")
        #expect(try exporter.terminate() == 0)
    }

    /// README, `--help` and contrib/'s snippets name the same proxy path (the landing page's is
    /// `LandingPage.proxyPath`, checked in LandingPageTests).
    @Test func oneProxyPathEverywhere() throws {
        let path = "/vicidial-events"
        let help = try ExternalTool.run(releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN"), ["--help"])
        var texts = ["--help": help.output]
        for file in ["README.md", "contrib/apache/vicidial-exporter.conf", "contrib/nginx/vicidial-exporter.conf", "contrib/README.md"] {
            texts[file] = try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
        }
        for (name, text) in texts {
            #expect(text.contains(path), "\(name) does not show \(path)")
            #expect(!text.contains("/agc/events"), "\(name) shows another proxy path")
        }
        #expect(texts["contrib/apache/vicidial-exporter.conf"]?.contains("ProxyPass        \(path) http://127.0.0.1:9957/event\n") == true)
        #expect(texts["contrib/nginx/vicidial-exporter.conf"]?.contains("location = \(path) {\n") == true)
        #expect(help.output.contains("ProxyPass \(path) http://127.0.0.1:9957/event"))
    }
}
