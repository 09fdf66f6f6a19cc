/// The exporter-toolkit web configuration (`--web.config.file`), as Prometheus and its exporters
/// read it: TLS for the listener, basic-auth users, and extra response headers.
///
/// Parsed by `WebConfiguration(yaml:directory:)`, which is pure: it reads no file. Files the
/// configuration names are resolved against `directory` (the config file's own folder, as
/// exporter-toolkit does) and read by the caller.
public struct WebConfiguration: Sendable, Equatable {
    /// Serve TLS; nil serves plain HTTP.
    public var tls: TLSServerConfiguration?
    /// User name → bcrypt hash. Empty: no basic auth.
    public var basicAuthUsers: [String: BcryptHash]
    /// Headers added to every answer, by their exact names (see `SecurityHeader`).
    public var headers: [String: String]
    /// `http_server_config.http2`: accepted for compatibility; libmicrohttpd serves HTTP/1.1 only.
    public var http2: Bool

    public init(
        tls: TLSServerConfiguration? = nil,
        basicAuthUsers: [String: BcryptHash] = [:],
        headers: [String: String] = [:],
        http2: Bool = true
    ) {
        self.tls = tls
        self.basicAuthUsers = basicAuthUsers
        self.headers = headers
        self.http2 = http2
    }
}

/// `tls_server_config`.
public struct TLSServerConfiguration: Sendable, Equatable {
    /// PEM text, either in a file or written inline in the configuration.
    public enum PEMSource: Sendable, Equatable {
        case file(path: String)
        case inline(String)
    }

    public var certificate: PEMSource
    public var key: PEMSource
    /// CAs that client certificates are verified against.
    public var clientCAs: PEMSource?
    public var clientAuth: ClientAuthType
    public var minVersion: TLSVersion
    public var maxVersion: TLSVersion
    /// When set, a client certificate must carry one of these subject alternative names
    /// (DNS name, e-mail address, IP address or URI).
    public var clientAllowedSANs: [String]?

    public init(
        certificate: PEMSource,
        key: PEMSource,
        clientCAs: PEMSource? = nil,
        clientAuth: ClientAuthType = .noClientCert,
        minVersion: TLSVersion = .tls12,
        maxVersion: TLSVersion = .tls13,
        clientAllowedSANs: [String]? = nil
    ) {
        self.certificate = certificate
        self.key = key
        self.clientCAs = clientCAs
        self.clientAuth = clientAuth
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.clientAllowedSANs = clientAllowedSANs
    }
}

/// `client_auth_type`, with Go's crypto/tls meaning.
public enum ClientAuthType: String, Sendable, CaseIterable {
    case noClientCert = "NoClientCert"
    /// Asks for a certificate; a client without one, or with one that does not verify, is served.
    case requestClientCert = "RequestClientCert"
    /// A certificate is required but not verified.
    case requireAnyClientCert = "RequireAnyClientCert"
    /// A certificate is optional, but one that is sent must verify against `client_ca_file`.
    case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
    /// A certificate is required and must verify against `client_ca_file`.
    case requireAndVerifyClientCert = "RequireAndVerifyClientCert"

    /// exporter-toolkit's spellings, "RequireClientCert" kept for backward compatibility.
    init?(configValue: String) {
        switch configValue {
        case "", "NoClientCert": self = .noClientCert
        case "RequireClientCert": self = .requireAnyClientCert
        default: self.init(rawValue: configValue)
        }
    }

    public var verifiesCertificates: Bool { self == .verifyClientCertIfGiven || self == .requireAndVerifyClientCert }
}

/// `min_version` and `max_version`.
public enum TLSVersion: String, Sendable, CaseIterable, Comparable {
    case tls10 = "TLS10"
    case tls11 = "TLS11"
    case tls12 = "TLS12"
    case tls13 = "TLS13"

    /// GnuTLS's name for the version, as its priority strings spell it.
    public var gnutlsName: String {
        switch self {
        case .tls10: "VERS-TLS1.0"
        case .tls11: "VERS-TLS1.1"
        case .tls12: "VERS-TLS1.2"
        case .tls13: "VERS-TLS1.3"
        }
    }

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
