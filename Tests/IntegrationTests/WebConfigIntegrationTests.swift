import Foundation
import HTTPClient
import TestSupport
import Testing

/// The release binary with `--web.config.file` on 127.0.0.1: TLS checked by curl (OpenSSL)
/// against a CA made by openssl in the test, client certificates, basic auth with hashes made
/// by Apache's htpasswd, and edits picked up without a restart.
@Suite(.serialized) struct WebConfigIntegrationTests {
    static let event = "/event?user=6666&event=state_ready&message=READY&lead_id=&counter=0&epoch=1764000000&agent_log_id=881"

    static func tlsConfig(_ pki: TestPKI, server: String = "ca-server", extra: String = "") -> String {
        "tls_server_config:\n  cert_file: \(server).crt\n  key_file: \(server).key\n" + extra
    }

    @Test func tlsServesAClientThatTrustsTheCAAndNothingOverPlainHTTP() throws {
        let pki = try TestPKI()
        try pki.write("web.yml", Self.tlsConfig(pki, extra: "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n"))
        let exporter = try ExporterProcess(arguments: ["--web.config.file", pki.path("web.yml")])
        let url = "https://127.0.0.1:\(exporter.port)"

        let scrape = try curl(["--cacert", pki.path("ca.crt"), "--dump-header", "-", url + "/metrics"])
        #expect(scrape.status == 200)
        #expect(scrape.body.contains("\r\nX-Content-Type-Options: nosniff\r\n"))
        #expect(scrape.body.contains("\nvicidial_exporter_build_info{"))
        #expect(try curl(["--cacert", pki.path("ca.crt"), url + Self.event]).status == 200)

        // A client that trusts another CA refuses the server; plain HTTP gets no answer at all.
        #expect(try curl(["--cacert", pki.path("ca2.crt"), url + "/metrics"]).exitStatus == 60)
        let plain = try curl(["http://127.0.0.1:\(exporter.port)/metrics"])
        #expect(plain.status == 0 && plain.body.isEmpty && [52, 56].contains(plain.exitStatus), "\(plain)")
        #expect(try exporter.terminate() == 0)
    }

    @Test func requireAndVerifyClientCertRefusesClientsWithoutAGoodCertificate() throws {
        let pki = try TestPKI()
        try pki.write("web.yml", Self.tlsConfig(pki, extra: "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"))
        let exporter = try ExporterProcess(arguments: ["--web.config.file", pki.path("web.yml")])
        let url = "https://127.0.0.1:\(exporter.port)/metrics"
        let trust = ["--cacert", pki.path("ca.crt")]

        let without = try curl(trust + [url])
        #expect(without.status == 403)
        #expect(without.body == "forbidden: a client certificate is required\n")
        let foreign = try curl(trust + ["--cert", pki.path("ca2-client.crt"), "--key", pki.path("ca2-client.key"), url])
        #expect(foreign.status == 403)
        #expect(foreign.body.hasPrefix("forbidden: the client certificate does not verify against the client CAs: "), "\(foreign.body)")
        // From the right CA, but only for servers: Go refuses it as a client certificate too.
        let serverOnly = try curl(trust + ["--cert", pki.path("ca-serveronly.crt"), "--key", pki.path("ca-serveronly.key"), url])
        #expect(serverOnly.status == 403)
        #expect(serverOnly.body.hasPrefix("forbidden: the client certificate does not verify against the client CAs: "), "\(serverOnly.body)")
        let good = try curl(trust + ["--cert", pki.path("ca-client.crt"), "--key", pki.path("ca-client.key"), url])
        #expect(good.status == 200)
        #expect(good.body.contains("vicidial_exporter_web_auth_failures_total{reason=\"client_certificate\"} 3\n"))
        #expect(try exporter.terminate() == 0)
    }

    @Test func basicAuthGuardsEveryRouteButEvent() throws {
        let pki = try TestPKI()
        let hash = try bcryptHash(user: "prometheus", password: "s3cret scrape")
        try pki.write("web.yml", "basic_auth_users:\n  prometheus: \(hash)\n")
        let exporter = try ExporterProcess(arguments: ["--web.config.file", pki.path("web.yml")])
        func get(_ path: String, _ authorization: String?) throws -> RawResponse {
            let client = try RawHTTPClient(port: exporter.port)
            let header = authorization.map { "Authorization: \($0)\r\n" } ?? ""
            try client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(header)\r\n")
            return try client.readResponse()
        }
        let right = "Basic " + Data("prometheus:s3cret scrape".utf8).base64EncodedString()
        let wrong = "Basic " + Data("prometheus:s3cret scrapE".utf8).base64EncodedString()
        let routes: [(path: String, status: Int)] = [("/", 200), ("/metrics", 200), ("/-/healthy", 200), ("/-/ready", 200), ("/nothing", 404)]
        for route in routes {
            for authorization in [nil, wrong, "Bearer abc"] as [String?] {
                let refused = try get(route.path, authorization)
                #expect(refused.status == 401, "\(route.path) \(authorization ?? "none")")
                #expect(refused.header("WWW-Authenticate") == "Basic realm=\"vicidial-exporter\", charset=\"UTF-8\"")
                #expect(refused.bodyText == "unauthorized: this exporter asks for basic auth (see --web.config.file)\n")
            }
            #expect(try get(route.path, right).status == route.status, "\(route.path)")
        }
        #expect(try get(Self.event, nil).status == 200)
        let metrics = try get("/metrics", right).bodyText
        #expect(metrics.contains("vicidial_exporter_web_auth_failures_total{reason=\"missing\"} 10\n"))
        #expect(metrics.contains("vicidial_exporter_web_auth_failures_total{reason=\"wrong\"} 5\n"))
        #expect(metrics.contains("vicidial_exporter_http_requests_total{route=\"/event\",code=\"200\"} 1\n"))
        #expect(!metrics.contains(hash) && !exporter.log.contains(hash) && !exporter.log.contains("s3cret"))
        #expect(try exporter.terminate() == 0)
    }

    @Test func editsArePickedUpAndABrokenEditKeepsTheLastGoodConfig() throws {
        let pki = try TestPKI()
        try pki.write("web.yml", "basic_auth_users:\n  alice: \(try bcryptHash(user: "alice", password: "first"))\n")
        let exporter = try ExporterProcess(arguments: ["--web.config.file", pki.path("web.yml")])
        func status(_ user: String, _ password: String) throws -> Int {
            try curl(["--user", "\(user):\(password)", "http://127.0.0.1:\(exporter.port)/-/healthy"]).status
        }
        #expect(try status("alice", "first") == 200)

        try pki.write("web.yml", "basic_auth_users:\n  bob: \(try bcryptHash(user: "bob", password: "second"))\n")
        #expect(try waitUntil(seconds: 5) { try status("bob", "second") == 200 })
        #expect(try status("alice", "first") == 401)

        try pki.write("web.yml", "basic_auth_users:\n  bob: not-a-hash\n")
        #expect(try waitUntil(seconds: 5) { exporter.log.contains("web config refused") })
        #expect(try status("bob", "second") == 200)
        let metrics = try curl(["--user", "bob:second", "http://127.0.0.1:\(exporter.port)/metrics"]).body
        #expect(metrics.contains("vicidial_exporter_web_config_last_reload_successful 0\n"))
        #expect(exporter.log.contains(
            "error=\"web config \(pki.path("web.yml")): line 2: basic_auth_users: the password of \\\"bob\\\" is not a bcrypt hash"))

        // Switching TLS on by an edit is refused too: every scraper would break at once.
        try pki.write("web.yml", Self.tlsConfig(pki))
        #expect(try waitUntil(seconds: 5) { exporter.log.contains("switching TLS on needs a restart") })
        #expect(try status("bob", "second") == 200)
        #expect(try exporter.terminate() == 0)
    }

    @Test func aNewCertificateAndClientPolicyServeNewConnectionsWithoutARestart() throws {
        let pki = try TestPKI()
        try pki.write("web.yml", Self.tlsConfig(pki))
        let exporter = try ExporterProcess(arguments: ["--web.config.file", pki.path("web.yml")])
        let url = "https://127.0.0.1:\(exporter.port)/metrics"
        #expect(try curl(["--cacert", pki.path("ca.crt"), url]).status == 200)

        // The certificate files change in place: the config file itself does not.
        try pki.write("ca-server.crt", try pki.read("ca2-server.crt"))
        try pki.write("ca-server.key", try pki.read("ca2-server.key"))
        #expect(try waitUntil(seconds: 10) { try curl(["--cacert", pki.path("ca2.crt"), url]).status == 200 })
        #expect(try curl(["--cacert", pki.path("ca.crt"), url]).exitStatus == 60)

        let client = ["--cacert", pki.path("ca2.crt"), "--cert", pki.path("ca2-client.crt"), "--key", pki.path("ca2-client.key")]
        try pki.write("web.yml", Self.tlsConfig(pki, extra: """
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca2.crt
              client_allowed_sans: [grafana.example]

            """))
        #expect(try waitUntil(seconds: 10) { try curl(["--cacert", pki.path("ca2.crt"), url]).status == 403 })
        let misnamed = try curl(client + [url])
        #expect(misnamed.status == 403)
        #expect(misnamed.body == "forbidden: the client certificate carries none of the allowed names (client_allowed_sans)\n")
        try pki.write("web.yml", Self.tlsConfig(pki, extra: """
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca2.crt
              client_allowed_sans: [grafana.example, prometheus.example]

            """))
        #expect(try waitUntil(seconds: 10) { try curl(client + [url]).status == 200 })
        #expect(try exporter.terminate() == 0)
    }
}

/// Web config files the exporter refuses at start: exit status 1, and one log line naming the
/// file and what is wrong with it.
@Suite struct WebConfigRefusedStartTests {
    /// Each case: the files to write (web.yml among them) and the error after "web config <path>: ".
    static let cases: [(files: [String: String], error: String)] = [
        ([:], "cannot read it: No such file or directory"),
        (["web.yml": "tls_server_config:\n  cert_file: ca-server.crt\n  key_file: ca-server.key\n  ciphers: [x]\n"],
         "line 4: unknown key \"ciphers\" in tls_server_config; known keys: cert, cert_file, client_allowed_sans, client_auth_type, client_ca, client_ca_file, key, key_file, max_version, min_version, prefer_server_cipher_suites"),
        (["web.yml": "basic_auth_users:\n  prometheus: $2y$10$tooShort\n"],
         "line 2: basic_auth_users: the password of \"prometheus\" is not a bcrypt hash ($2y$, $2b$ or $2a$, cost 4-31); make one with htpasswd -nBC 10 <user>"),
        (["web.yml": "tls_server_config:\n  cert_file: missing.crt\n  key_file: ca-server.key\n"],
         "tls_server_config: cannot read cert_file \"PKI/missing.crt\": No such file or directory"),
        (["web.yml": "tls_server_config:\n  cert_file: ca-server.crt\n  key_file: ca2-server.key\n"],
         "tls_server_config: certificate and key: The certificate and the given key do not match."),
        (["web.yml": "tls_server_config:\n  cert_file: garbage.crt\n  key_file: ca-server.key\n", "garbage.crt": "not a certificate\n"],
         "tls_server_config: certificate: no PEM certificate (-----BEGIN CERTIFICATE-----) found"),
        (["web.yml": "tls_server_config:\n  cert_file: ca-server.crt\n  key_file: ca-server.crt\n"],
         "tls_server_config: key: no PEM private key (-----BEGIN ... PRIVATE KEY-----) found"),
        (["web.yml": "tls_server_config:\n  cert_file: broken.crt\n  key_file: ca-server.key\n",
          "broken.crt": "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n"],
         "tls_server_config: certificate and key: Base64 unexpected header error."),
        (["web.yml": "tls_server_config:\n  cert_file: ca-server.crt\n  key_file: ca-server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca: nothing\n"],
         "tls_server_config: client CAs: no PEM certificate found"),
        (["web.yml": "tls_server_config: [\n"], "line 2: not valid YAML: did not find expected node content"),
    ]

    @Test(arguments: cases.indices) func refused(_ index: Int) throws {
        let pki = try TestPKI()
        for (name, text) in Self.cases[index].files { try pki.write(name, text) }
        let (status, errors) = try refusedStart(["--web.config.file", pki.path("web.yml"), "--log.format", "json"])
        #expect(status == 1)
        let lines = errors.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        let expected = "web config \(pki.path("web.yml")): " + Self.cases[index].error.replacingOccurrences(of: "PKI", with: pki.folder.path)
        #expect(lines.contains { $0["msg"] == "cannot use the web config" && $0["error"] == expected }, "\(errors)")
    }

    @Test func aPrivateKeyPastedWhereItsFileNameBelongsIsNotLoggedWhole() throws {
        let pki = try TestPKI()
        let pasted = "-----BEGIN PRIVATE KEY-----\n" + String(repeating: "A", count: 300) + "\n"
        try pki.write("web.yml", "tls_server_config:\n  cert_file: ca-server.crt\n  key_file: |\n    "
            + pasted.replacingOccurrences(of: "\n", with: "\n    ").trimmingCharacters(in: .whitespaces))
        let (status, errors) = try refusedStart(["--web.config.file", pki.path("web.yml")])
        #expect(status == 1)
        // logfmt escapes the quote and the backslash of the error's own escaping once more.
        let named = pki.folder.path + "/-----BEGIN PRIVATE KEY-----\\\\n"
        let kept = 256 - (pki.folder.path.unicodeScalars.count + "/-----BEGIN PRIVATE KEY-----\n".unicodeScalars.count)
        #expect(errors.contains("cannot read key_file \\\"\(named)A"), "\(errors)")
        #expect(errors.contains("\\n" + String(repeating: "A", count: kept) + "…\\\": File name too long"), "\(errors)")
        #expect(!errors.contains(String(repeating: "A", count: kept + 1)))
    }
}
