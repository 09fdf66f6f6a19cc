import Foundation
import HTTPClient
import TestSupport
import Testing

/// The release binary with `--ingest.token-file`, `--ingest.allowed-sources` and
/// `--web.trusted-proxies`, over real HTTP on 127.0.0.1: exact statuses through every transport,
/// the token absent from the log and /metrics, and the flags refused when malformed.
@Suite(.serialized) struct IngestGuardIntegrationTests {
    static let secret = "Vx-9f3c2a7e1b5d8e04"
    static let fields = "user=6666&event=state_ready&message=READY&lead_id=&counter=0&epoch=1764000000&agent_log_id=881"

    /// A request of each transport, carrying `token` (first, so a `?` in a message cannot cut it
    /// off in the get2post relay), or none.
    static func requests(token: String?) -> [(transport: String, request: String)] {
        let field = token.map { "token=\($0)&" } ?? ""
        func post(_ body: String, _ type: String) -> String {
            "POST /event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        let json = #"{"user":"6666","event":"state_ready","message":"READY","counter":0,"epoch":1764000000"#
            + (token.map { #","token":"\#($0)""# } ?? "") + "}"
        var requests = [
            ("GET", "GET /event?\(field)\(fields) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
            ("agent screen", post(field + fields, "application/x-www-form-urlencoded; charset=UTF-8")),
            ("get2post", post("uniqueid=1764000000.881&type=event&" + field + fields, "application/x-www-form-urlencoded")),
            ("JSON", post(json, "application/json")),
        ]
        if let token {
            requests.append((
                "Bearer",
                "GET /event?\(fields) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"))
        }
        return requests
    }

    @Test func theTokenIsRequiredInEveryTransportAndNeverShown() throws {
        let tokenFile = ExternalTool.temporaryFile("token")
        try (Self.secret + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        let exporter = try ExporterProcess(arguments: ["--ingest.token-file", tokenFile.path, "--log.level", "debug"])
        let client = try RawHTTPClient(port: exporter.port)
        for (token, status) in [(nil, 401), ("wrong-token", 401), (Self.secret, 200)] as [(String?, Int)] {
            for (transport, request) in Self.requests(token: token) {
                try client.send(request)
                let response = try client.readResponse()
                #expect(response.status == status, "\(transport) with token \(token ?? "none"): \(response.bodyText)")
                if status == 401 {
                    #expect(response.bodyText.hasPrefix("missing or wrong ingest token"))
                }
            }
        }
        // The right token with a bad field: rejected and logged at debug level, token and all gone.
        try client.send("GET /event?token=\(Self.secret)&user=6666&event=BAD HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try client.readResponse().status == 400)
        let metrics = try loopbackGet(exporter.port, "/metrics").bodyText
        #expect(metrics.contains(#"vicidial_exporter_events_rejected_total{reason="unauthorized"} 9"# + "\n"))
        #expect(metrics.contains(#"vicidial_exporter_events_rejected_total{reason="invalid_event"} 1"# + "\n"))
        #expect(metrics.contains(#"vicidial_exporter_http_requests_total{route="/event",code="200"} 5"# + "\n"))
        #expect(!metrics.contains(Self.secret))
        #expect(try exporter.terminate() == 0)
        #expect(exporter.log.contains("msg=\"event rejected\" client=127.0.0.1 detail=\"missing or wrong ingest token"))
        #expect(exporter.log.contains(
            "level=warn msg=\"event rejected; more of this reason within a minute are only counted, in a summary\" client=127.0.0.1 detail=\"missing or wrong ingest token"))
        #expect(!exporter.log.contains(Self.secret), "the token reached the log")
    }

    @Test func onlyAllowedSourcesPushAndForwardedForOnlyFromTrustedProxies() throws {
        // 127.0.0.1 is outside the allowlist; a trusted proxy there may name an allowed client.
        let proxied = try ExporterProcess(arguments: ["--ingest.allowed-sources", "192.0.2.0/24", "--web.trusted-proxies", "127.0.0.1"])
        #expect(try push(proxied.port, forwardedFor: nil).status == 403)
        #expect(try push(proxied.port, forwardedFor: "192.0.2.10").status == 200)
        #expect(try push(proxied.port, forwardedFor: "192.0.2.10, 198.51.100.3").status == 403)
        #expect(try loopbackGet(proxied.port, "/metrics").status == 200, "scrapes are not affected")

        // Without trusted proxies, the header is ignored.
        let direct = try ExporterProcess(arguments: ["--ingest.allowed-sources", "192.0.2.0/24,::1/128"])
        let refused = try push(direct.port, forwardedFor: "192.0.2.10")
        #expect(refused.status == 403)
        #expect(refused.bodyText == "source address 127.0.0.1 may not push events: it is not in --ingest.allowed-sources\n")
        let metrics = try loopbackGet(direct.port, "/metrics").bodyText
        #expect(metrics.contains(#"vicidial_exporter_events_rejected_total{reason="forbidden_source"} 1"# + "\n"))
    }

    @Test(arguments: [
        (["--ingest.allowed-sources", "10.0.0.0/8,10.0.0.256"],
         "is invalid for '--ingest.allowed-sources <ranges>': '10.0.0.256' is not an IPv4 or IPv6 address or CIDR network"),
        (["--web.trusted-proxies", "proxy.example"],
         "is invalid for '--web.trusted-proxies <ranges>': 'proxy.example' is not an IPv4 or IPv6 address"),
        (["--ingest.allowed-sources", ""], "is invalid for '--ingest.allowed-sources <ranges>': empty: give at least one"),
        (["--ingest.token-file", "/nonexistent/token"], "--ingest.token-file /nonexistent/token: No such file or directory"),
        (["--storage.fsync", "2h"], "The value '2h' is invalid for '--storage.fsync <policy>'"),
    ])
    func malformedGuardFlagsAreRefused(_ flags: [String], _ message: String) throws {
        let (status, text) = try refusedStart(["--storage.path", ""] + flags)
        #expect(status == 64, "\(text)")
        #expect(text.contains(message), "\(text)")
    }

    @Test func anEmptyTokenFileIsRefused() throws {
        let tokenFile = ExternalTool.temporaryFile("token")
        try " \n".write(to: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        try malformedGuardFlagsAreRefused(["--ingest.token-file", tokenFile.path], "--ingest.token-file \(tokenFile.path) is empty")
        try "short\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        try malformedGuardFlagsAreRefused(
            ["--ingest.token-file", tokenFile.path], "--ingest.token-file \(tokenFile.path) holds 5 characters; a token needs at least 16")
    }

    private func push(_ port: UInt16, forwardedFor: String?) throws -> RawResponse {
        let client = try RawHTTPClient(port: port)
        let header = forwardedFor.map { "X-Forwarded-For: \($0)\r\n" } ?? ""
        try client.send("GET /event?\(Self.fields) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(header)\r\n")
        return try client.readResponse()
    }
}
