import CMicroHTTPDShim

/// TLS for the listener (libmicrohttpd over GnuTLS): the server's certificate and key, the CAs
/// client certificates are checked against, and what is asked of clients.
public struct TLSSettings: Sendable, Equatable {
    /// What a client must show; Go crypto/tls's `ClientAuthType`, with the same meaning.
    public enum ClientCertificates: Sendable, Equatable {
        /// Not asked for.
        case ignore
        /// Asked for; a client without one, or with one that does not verify, is served.
        case request
        /// Required, not verified.
        case requireAny
        /// Optional, but one that is sent must verify against `clientCAsPEM`.
        case verifyIfGiven
        /// Required, and must verify against `clientCAsPEM`.
        case requireAndVerify
    }

    /// PEM: the server's certificate first, then any intermediates.
    public var certificatePEM: String
    public var keyPEM: String
    /// PEM: the CAs client certificates must chain to.
    public var clientCAsPEM: String?
    public var clientCertificates: ClientCertificates
    /// When set, a client must show a certificate carrying one of these subject alternative
    /// names (DNS name, e-mail address, IP address or URI).
    public var allowedClientNames: [String]?
    /// A GnuTLS priority string, e.g. "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3".
    public var priorities: String

    public init(
        certificatePEM: String,
        keyPEM: String,
        clientCAsPEM: String? = nil,
        clientCertificates: ClientCertificates = .ignore,
        allowedClientNames: [String]? = nil,
        priorities: String = "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3"
    ) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.clientCAsPEM = clientCAsPEM
        self.clientCertificates = clientCertificates
        self.allowedClientNames = allowedClientNames
        self.priorities = priorities
    }

    /// Loads everything as a daemon would (the key must match the certificate, the CAs must
    /// parse, GnuTLS must know the priorities), so a bad file is refused before it is used.
    public func check() throws(HTTPServerError) {
        // GnuTLS's own words for text that is no PEM at all are cryptic ("The requested data were
        // not available."), so that case is named here.
        guard certificatePEM.contains("-----BEGIN CERTIFICATE-----") else {
            throw .invalidTLS("certificate: no PEM certificate (-----BEGIN CERTIFICATE-----) found")
        }
        guard keyPEM.contains("-----BEGIN "), keyPEM.contains("PRIVATE KEY-----") else {
            throw .invalidTLS("key: no PEM private key (-----BEGIN ... PRIVATE KEY-----) found")
        }
        let messageCapacity = 512
        var message = [CChar](repeating: 0, count: messageCapacity)
        let result = withOptions { mhd_shim_check_tls($0, &message, messageCapacity) }
        if result != 0 { throw .invalidTLS(String(nulTerminated: message)) }
    }

    /// The CA list handed to libmicrohttpd, which asks clients for a certificate exactly when it
    /// has one. Policies that ask without verifying may come without CAs: the server's own
    /// certificate then stands in (nothing is verified against it).
    var trustPEM: String? {
        clientCertificates == .ignore ? nil : (clientCAsPEM ?? certificatePEM)
    }

    /// Calls `body` with the C view of these settings, valid only during the call.
    func withOptions<Result>(_ body: (UnsafePointer<mhd_shim_tls_options>) -> Result) -> Result {
        certificatePEM.withCString { certificate in
            keyPEM.withCString { key in
                priorities.withCString { priorities in
                    withOptionalCString(trustPEM) { trust in
                        var options = mhd_shim_tls_options(
                            certificate_pem: certificate, key_pem: key, trust_pem: trust, priorities: priorities)
                        return body(&options)
                    }
                }
            }
        }
    }
}

private func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
