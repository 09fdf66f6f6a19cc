import Testing
@testable import WebConfig

/// Good web config files, read into exactly the values they mean (exporter-toolkit's defaults
/// where a key is absent).
@Suite struct WebConfigParsingTests {
    static let hash = "$2y$10$ztG/MgZmzqUYdSO/K6DLHevSBUCLKIpbZ/onFFBGQi4clpBAolp1O"

    @Test func anEmptyFileOrEmptySectionsMeanPlainHTTPWithoutAuth() throws {
        for text in ["", "# nothing here\n", "tls_server_config:\nhttp_server_config:\nbasic_auth_users:\n", "---\n", "{}", "~\n"] {
            #expect(try WebConfiguration(yaml: text, directory: "/etc") == WebConfiguration(), "\(text)")
        }
    }

    @Test func tlsFilesAreResolvedAgainstTheConfigFolderWithToolkitDefaults() throws {
        let config = try WebConfiguration(yaml: """
            tls_server_config:
              cert_file: server.crt
              key_file: /secure/server.key
            """, directory: "/etc/vicidial-exporter")
        #expect(config.tls == TLSServerConfiguration(
            certificate: .file(path: "/etc/vicidial-exporter/server.crt"), key: .file(path: "/secure/server.key"),
            clientCAs: nil, clientAuth: .noClientCert, minVersion: .tls12, maxVersion: .tls13, clientAllowedSANs: nil))
    }

    @Test func everySupportedKeyIsRead() throws {
        let config = try WebConfiguration(yaml: """
            tls_server_config:
              cert: |
                -----BEGIN CERTIFICATE-----
                MIIB
                -----END CERTIFICATE-----
              key_file: "server.key"
              client_ca_file: ca.crt
              client_auth_type: RequireAndVerifyClientCert
              min_version: TLS13
              max_version: TLS13
              prefer_server_cipher_suites: false
              client_allowed_sans: [prometheus.example, 10.0.0.5]
            http_server_config:
              http2: off
              headers:
                X-Frame-Options: sameorigin
                X-Content-Type-Options: nosniff
                Strict-Transport-Security: max-age=31536000
                Content-Security-Policy: "default-src 'self'"
                X-XSS-Protection: 1; mode=block
            basic_auth_users:
              prometheus: \(Self.hash)
              "grafana": '\(Self.hash)'
            """, directory: "conf")
        #expect(config.tls == TLSServerConfiguration(
            certificate: .inline("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), key: .file(path: "conf/server.key"),
            clientCAs: .file(path: "conf/ca.crt"), clientAuth: .requireAndVerifyClientCert, minVersion: .tls13, maxVersion: .tls13,
            clientAllowedSANs: ["prometheus.example", "10.0.0.5"]))
        #expect(config.http2 == false)
        #expect(config.headers == [
            "X-Frame-Options": "sameorigin", "X-Content-Type-Options": "nosniff", "Strict-Transport-Security": "max-age=31536000",
            "Content-Security-Policy": "default-src 'self'", "X-XSS-Protection": "1; mode=block",
        ])
        #expect(config.basicAuthUsers == ["prometheus": BcryptHash(Self.hash)!, "grafana": BcryptHash(Self.hash)!])
    }

    @Test func clientAuthTypesAndTheirOldSpelling() throws {
        let cases: [(String, ClientAuthType)] = [
            ("NoClientCert", .noClientCert), ("RequestClientCert", .requestClientCert),
            ("RequireAnyClientCert", .requireAnyClientCert), ("RequireClientCert", .requireAnyClientCert),
            ("VerifyClientCertIfGiven", .verifyClientCertIfGiven), ("RequireAndVerifyClientCert", .requireAndVerifyClientCert),
        ]
        for (text, expected) in cases {
            let ca = expected.verifiesCertificates ? "\n  client_ca_file: ca.crt" : ""
            let config = try WebConfiguration(
                yaml: "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: \(text)\(ca)\n", directory: "/d")
            #expect(config.tls?.clientAuth == expected, "\(text)")
        }
    }

    @Test func tlsIsOnlyOnWhenACertificateKeyCAOrPolicyIsSet() throws {
        let config = try WebConfiguration(yaml: "tls_server_config:\n  min_version: TLS13\n", directory: "/d")
        #expect(config.tls == nil)
    }

    @Test func bcryptHashesOfEveryVariantAndCostAreRecognised() {
        let salted = "ztG/MgZmzqUYdSO/K6DLHevSBUCLKIpbZ/onFFBGQi4clpBAolp1O"
        for prefix in ["$2y$04$", "$2b$10$", "$2a$31$"] { #expect(BcryptHash(prefix + salted) != nil, "\(prefix)") }
        #expect(BcryptHash("$2y$10$" + salted)?.cost == 10)
        for bad in ["$2y$03$" + salted, "$2y$32$" + salted, "$2x$10$" + salted, "$2y$10$" + salted.dropLast(), "$2y$10$" + salted + "A",
                    "$2y$10$" + salted.dropLast() + "!", "$1$abc$def", "plaintext", ""] {
            #expect(BcryptHash(bad) == nil, "\(bad)")
        }
        #expect(BcryptHash("$2y$10$" + salted)!.description == "bcrypt hash (cost 10)")
    }

    @Test func basicCredentialsAreReadFromTheAuthorizationHeader() {
        #expect(BasicCredentials(authorization: "Basic YWxpY2U6c2VjcmV0") == BasicCredentials(user: "alice", password: "secret"))
        #expect(BasicCredentials(authorization: "basic  YWxpY2U6OnM6") == BasicCredentials(user: "alice", password: ":s:"))
        #expect(BasicCredentials(authorization: "Basic OmFi") == BasicCredentials(user: "", password: "ab"))
        #expect(BasicCredentials(authorization: "Basic YTo=") == BasicCredentials(user: "a", password: ""))
        for bad in ["Bearer YWxpY2U6c2VjcmV0", "Basic", "Basic YWxpY2U", "Basic YWxpY2U6c2VjcmV0=", "Basic YW=xpY2U6",
                    "Basic YWxpY2U*c2VjcmV0", "Basic YWxpY2U=", ""] {
            #expect(BasicCredentials(authorization: bad) == nil, "\(bad)")
        }
    }
}
