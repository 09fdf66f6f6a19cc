import Testing
@testable import WebConfig

/// Broken web config files, each with the exact one-line error it is refused with.
@Suite struct WebConfigRefusalTests {
    static let hash = "$2y$10$ztG/MgZmzqUYdSO/K6DLHevSBUCLKIpbZ/onFFBGQi4clpBAolp1O"
    static let tls = "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"

    static let cases: [(yaml: String, error: String)] = [
        ("tls_server_config: [\n", "line 2: not valid YAML: did not find expected node content"),
        ("a: b: c\n", "line 1: not valid YAML: mapping values are not allowed in this context"),
        ("basic_auth_users:\n  alice: \"$2y$10$x\n", "line 3: not valid YAML: found unexpected end of stream"),
        ("- just\n- a list\n", "line 1:  must be a mapping of keys to values"),
        ("tls_config:\n  cert_file: a\n", "line 1: unknown key \"tls_config\" in ; known keys: basic_auth_users, http_server_config, tls_server_config"),
        (tls + "  cert_fil: b\n", "line 4: unknown key \"cert_fil\" in tls_server_config; known keys: cert, cert_file, client_allowed_sans, client_auth_type, client_ca, client_ca_file, key, key_file, max_version, min_version, prefer_server_cipher_suites"),
        (tls + "  key_file: c.key\n", "line 4: the key \"key_file\" appears twice in one mapping"),
        ("tls_server_config:\n  key_file: a.key\n", "tls_server_config: missing one of cert or cert_file"),
        ("tls_server_config:\n  cert_file: a.crt\n", "tls_server_config: missing one of key or key_file"),
        ("tls_server_config:\n  cert_file: a.crt\n  cert: x\n  key_file: k\n", "tls_server_config: set cert_file or cert, not both"),
        (tls + "  client_auth_type: RequireCert\n", "line 4: tls_server_config: invalid client_auth_type \"RequireCert\"; one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert"),
        (tls + "  client_ca_file: ca.crt\n", "tls_server_config: client CAs are configured without a client auth policy; set client_auth_type"),
        (tls + "  client_auth_type: RequireAndVerifyClientCert\n", "tls_server_config: client_auth_type RequireAndVerifyClientCert needs client_ca_file or client_ca to verify against"),
        (tls + "  client_allowed_sans: [a]\n", "tls_server_config: client_allowed_sans needs a client_auth_type that asks for a certificate"),
        (tls + "  min_version: TLS14\n", "line 4: tls_server_config: unknown TLS version \"TLS14\" in min_version; one of TLS10, TLS11, TLS12, TLS13"),
        (tls + "  min_version: TLS13\n  max_version: TLS12\n", "tls_server_config: min_version TLS13 is above max_version TLS12"),
        (tls + "  cipher_suites: [TLS_AES_128_GCM_SHA256]\n", "line 4: tls_server_config.cipher_suites is not supported by vicidial-exporter: GnuTLS picks the cipher suites from its secure defaults for min_version..max_version"),
        (tls + "  curve_preferences: [X25519]\n", "line 4: tls_server_config.curve_preferences is not supported by vicidial-exporter: GnuTLS picks the curves from its secure defaults"),
        ("rate_limit:\n  burst: 10\n", "line 1: rate_limit is not supported by vicidial-exporter: bound load with --web.max-connections and --web.max-connections-per-ip instead"),
        (tls + "  prefer_server_cipher_suites: maybe\n", "line 4: tls_server_config.prefer_server_cipher_suites must be true or false, got \"maybe\""),
        ("tls_server_config:\n  cert_file: [a, b]\n  key_file: k\n", "line 2: tls_server_config.cert_file must be a single value, not a list or mapping"),
        ("tls_server_config: yes\n", "line 1: tls_server_config must be a mapping of keys to values"),
        (tls + "  client_auth_type: RequestClientCert\n  client_allowed_sans: a\n", "line 5: tls_server_config.client_allowed_sans must be a list of strings"),
        ("http_server_config:\n  http3: true\n", "line 2: unknown key \"http3\" in http_server_config; known keys: headers, http2"),
        ("http_server_config:\n  headers:\n    Server: nginx\n", "line 3: HTTP header \"Server\" can not be configured; allowed: Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection"),
        ("http_server_config:\n  headers:\n    X-Frame-Options: allow\n", "line 3: invalid value for X-Frame-Options: expected one of \"deny\", \"sameorigin\", got \"allow\""),
        ("http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n", "line 3: invalid value for X-Content-Type-Options: expected one of \"nosniff\", got \"sniff\""),
        ("http_server_config:\n  headers:\n    Content-Security-Policy: \"a\\r\\nSet-Cookie: x\"\n", "line 3: the value of HTTP header Content-Security-Policy holds a control character"),
        ("basic_auth_users:\n  alice: secret\n", "line 2: basic_auth_users: the password of \"alice\" is not a bcrypt hash ($2y$, $2b$ or $2a$, cost 4-31); make one with htpasswd -nBC 10 <user>"),
        ("basic_auth_users:\n  alice:\n", "line 2: basic_auth_users: the password of \"alice\" is not a bcrypt hash ($2y$, $2b$ or $2a$, cost 4-31); make one with htpasswd -nBC 10 <user>"),
        ("basic_auth_users:\n  \"a:b\": \(hash)\n", "line 2: basic_auth_users: user name \"a:b\" is empty or holds ':', which basic auth cannot carry"),
        ("basic_auth_users:\n  - alice\n", "line 2: basic_auth_users must be a mapping of keys to values"),
        ("basic_auth_users:\n  alice: \(hash)\n  alice: \(hash)\n", "line 3: the key \"alice\" appears twice in one mapping"),
        ("basic_auth_users:\n  prometheus: &hash \(hash)\n  grafana: *hash\n", "line 2: YAML anchors and aliases are not supported"),
        ("tls_server_config: &t\n  cert_file: a\n", "line 1: YAML anchors and aliases are not supported"),
        ("basic_auth_users: *users\n", "line 1: YAML anchors and aliases are not supported"),
        ("basic_auth_users:\n  ? [a, b]\n  : x\n", "line 2: a mapping key must be a string, not a list or mapping"),
        ("a: 1\n---\nb: 2\n", "line 2: a web config is one YAML document, not several"),
        (String(repeating: "[", count: 65) + String(repeating: "]", count: 65), "line 1: nested deeper than 64 levels"),
    ]

    @Test(arguments: cases.indices) func refused(_ index: Int) {
        let (yaml, expected) = Self.cases[index]
        #expect {
            try WebConfiguration(yaml: yaml, directory: "/etc")
        } throws: { error in
            let description = (error as? WebConfigError)?.description ?? "\(error)"
            return description == expected
        }
    }

    @Test func aUserNameIsQuotedAndCutOnceInTheError() throws {
        let name = String(repeating: "\u{FFFD}", count: 300) + "\\n"
        let error = try #require(throws: WebConfigError.self) {
            try WebConfiguration(yaml: "basic_auth_users:\n  \"\(name)\": $\n", directory: "/")
        }
        let shown = "\"" + String(repeating: "\\u{FFFD}", count: 64) + "…\""
        #expect(error.description == "line 2: basic_auth_users: the password of \(shown) is not a bcrypt hash ($2y$, $2b$ or $2a$, cost 4-31); make one with htpasswd -nBC 10 <user>")
        #expect(error.description.unicodeScalars.count < 1_024)
    }

    @Test func errorsAreOneLineAndQuoteControlCharactersAndLongKeys() throws {
        let long = String(repeating: "k", count: 200)
        let error = try #require(throws: WebConfigError.self) { try WebConfiguration(yaml: "\"\(long)\\n\": 1\n", directory: "/") }
        #expect(error.description == "line 1: unknown key \"\(String(repeating: "k", count: 64))…\" in ; known keys: basic_auth_users, http_server_config, tls_server_config")
    }
}
