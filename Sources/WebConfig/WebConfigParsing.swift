extension WebConfiguration {
    /// Keys exporter-toolkit knows that this exporter refuses rather than ignores: each would
    /// change what is allowed in, and silently dropping it would weaken a config written for Go.
    static let unsupportedKeys: [String: String] = [
        "cipher_suites": "GnuTLS picks the cipher suites from its secure defaults for min_version..max_version",
        "curve_preferences": "GnuTLS picks the curves from its secure defaults",
        "rate_limit": "bound load with --web.max-connections and --web.max-connections-per-ip instead",
    ]

    /// Parses the YAML text of a web config file. Relative file names in it are resolved against
    /// `directory`, the folder of the config file. Reads no file: the certificates and keys it
    /// names are checked when they are loaded.
    public init(yaml: String, directory: String) throws(WebConfigError) {
        let document = try YAMLNode.parse(yaml)
        self.init()
        guard let document, let root = try YAMLMapping(document, path: "") else { return }
        try root.refuseUnsupported()
        try root.refuseUnknownKeys(["tls_server_config", "http_server_config", "basic_auth_users"])

        if let node = root.node("tls_server_config"), let mapping = try YAMLMapping(node, path: "tls_server_config") {
            tls = try TLSServerConfiguration.parse(mapping, directory: directory)
        }
        if let node = root.node("http_server_config"), let mapping = try YAMLMapping(node, path: "http_server_config") {
            try mapping.refuseUnknownKeys(["http2", "headers"])
            http2 = try mapping.bool("http2") ?? true
            if let headersNode = mapping.node("headers"), let headerMapping = try YAMLMapping(headersNode, path: "http_server_config.headers") {
                headers = try Self.parseHeaders(headerMapping)
            }
        }
        if let node = root.node("basic_auth_users"), let mapping = try YAMLMapping(node, path: "basic_auth_users") {
            basicAuthUsers = try Self.parseUsers(mapping)
        }
    }

    private static func parseHeaders(_ mapping: YAMLMapping) throws(WebConfigError) -> [String: String] {
        var headers: [String: String] = [:]
        for entry in mapping.entries {
            guard let allowedValues = SecurityHeader.allowed[entry.key] else {
                throw WebConfigError(
                    line: entry.keyLine,
                    "HTTP header \(quoted(entry.key)) can not be configured; allowed: "
                        + SecurityHeader.allowed.keys.sorted().joined(separator: ", "))
            }
            let value = try scalarString(entry.value, path: mapping.childPath(entry.key)) ?? ""
            guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
                throw WebConfigError(line: entry.keyLine, "the value of HTTP header \(entry.key) holds a control character")
            }
            if let allowedValues, !allowedValues.contains(value) {
                throw WebConfigError(
                    line: entry.keyLine,
                    "invalid value for \(entry.key): expected one of \(allowedValues.map { quoted($0) }.joined(separator: ", ")), got \(quoted(value))")
            }
            headers[entry.key] = value
        }
        return headers
    }

    private static func parseUsers(_ mapping: YAMLMapping) throws(WebConfigError) -> [String: BcryptHash] {
        var users: [String: BcryptHash] = [:]
        for entry in mapping.entries {
            guard !entry.key.isEmpty, !entry.key.contains(":") else {
                throw WebConfigError(line: entry.keyLine, "basic_auth_users: user name \(quoted(entry.key)) is empty or holds ':', which basic auth cannot carry")
            }
            let text = try scalarString(entry.value, path: "basic_auth_users.\(entry.key)") ?? ""
            guard let hash = BcryptHash(text) else {
                throw WebConfigError(
                    line: entry.keyLine,
                    "basic_auth_users: the password of \(quoted(entry.key)) is not a bcrypt hash ($2y$, $2b$ or $2a$, cost 4-31); make one with htpasswd -nBC 10 <user>")
            }
            users[entry.key] = hash
        }
        return users
    }
}

extension TLSServerConfiguration {
    static func parse(_ mapping: YAMLMapping, directory: String) throws(WebConfigError) -> TLSServerConfiguration? {
        try mapping.refuseUnsupported()
        try mapping.refuseUnknownKeys([
            "cert_file", "key_file", "cert", "key", "client_ca_file", "client_ca", "client_auth_type",
            "min_version", "max_version", "prefer_server_cipher_suites", "client_allowed_sans",
        ])
        _ = try mapping.bool("prefer_server_cipher_suites") // Go ignores it since 1.18; so do we
        let certificate = try pemSource(mapping, file: "cert_file", inline: "cert", directory: directory)
        let key = try pemSource(mapping, file: "key_file", inline: "key", directory: directory)
        let clientCAs = try pemSource(mapping, file: "client_ca_file", inline: "client_ca", directory: directory)
        let authText = try mapping.string("client_auth_type") ?? ""
        let allowedSANs = try mapping.strings("client_allowed_sans")
        let minVersion = try version(mapping, "min_version") ?? .tls12
        let maxVersion = try version(mapping, "max_version") ?? .tls13

        // exporter-toolkit's rule: TLS is on when any of these is set.
        guard certificate != nil || key != nil || clientCAs != nil || !authText.isEmpty else { return nil }
        guard let certificate else { throw WebConfigError("tls_server_config: missing one of cert or cert_file") }
        guard let key else { throw WebConfigError("tls_server_config: missing one of key or key_file") }
        guard let clientAuth = ClientAuthType(configValue: authText) else {
            throw WebConfigError(
                line: mapping.node("client_auth_type")?.line,
                "tls_server_config: invalid client_auth_type \(quoted(authText)); one of "
                    + ClientAuthType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if clientCAs != nil && clientAuth == .noClientCert {
            throw WebConfigError("tls_server_config: client CAs are configured without a client auth policy; set client_auth_type")
        }
        if clientCAs == nil && clientAuth.verifiesCertificates {
            throw WebConfigError("tls_server_config: client_auth_type \(clientAuth.rawValue) needs client_ca_file or client_ca to verify against")
        }
        if allowedSANs != nil && clientAuth == .noClientCert {
            throw WebConfigError("tls_server_config: client_allowed_sans needs a client_auth_type that asks for a certificate")
        }
        guard minVersion <= maxVersion else {
            throw WebConfigError("tls_server_config: min_version \(minVersion.rawValue) is above max_version \(maxVersion.rawValue)")
        }
        return TLSServerConfiguration(
            certificate: certificate, key: key, clientCAs: clientCAs, clientAuth: clientAuth,
            minVersion: minVersion, maxVersion: maxVersion, clientAllowedSANs: allowedSANs)
    }

    private static func pemSource(_ mapping: YAMLMapping, file fileKey: String, inline inlineKey: String, directory: String) throws(WebConfigError) -> PEMSource? {
        let path = try mapping.string(fileKey) ?? ""
        let text = try mapping.string(inlineKey) ?? ""
        switch (path.isEmpty, text.isEmpty) {
        case (true, true): return nil
        case (false, false): throw WebConfigError("tls_server_config: set \(fileKey) or \(inlineKey), not both")
        case (false, true): return .file(path: path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path)
        case (true, false): return .inline(text)
        }
    }

    private static func version(_ mapping: YAMLMapping, _ key: String) throws(WebConfigError) -> TLSVersion? {
        guard let text = try mapping.string(key) else { return nil }
        guard let version = TLSVersion(rawValue: text) else {
            throw WebConfigError(
                line: mapping.node(key)?.line,
                "tls_server_config: unknown TLS version \(quoted(text)) in \(key); one of "
                    + TLSVersion.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return version
    }
}

extension YAMLMapping {
    func refuseUnsupported() throws(WebConfigError) {
        for entry in entries {
            if let reason = WebConfiguration.unsupportedKeys[entry.key] {
                throw WebConfigError(line: entry.keyLine, "\(childPath(entry.key)) is not supported by vicidial-exporter: \(reason)")
            }
        }
    }
}

