import CMicroHTTPD
import CMicroHTTPDShim

/// Applies `TLSSettings.clientCertificates` and `allowedClientNames` to a TLS connection once
/// its request headers are in. GnuTLS's handshake only asks for the certificate (MHD has no
/// hook to fail it), so a client that does not pass is answered 403 and disconnected instead.
struct ClientCertificateCheck: Sendable {
    let policy: TLSSettings.ClientCertificates
    let allowedNames: Set<String>?

    init?(_ settings: TLSSettings?) {
        guard let settings, settings.clientCertificates != .ignore else { return nil }
        policy = settings.clientCertificates
        allowedNames = settings.allowedClientNames.map(Set.init)
    }

    /// Why the connection's client is refused, or nil when it passes.
    func refusal(for connection: OpaquePointer) -> String? {
        let verify = policy == .verifyIfGiven || policy == .requireAndVerify
        var error = [CChar](repeating: 0, count: 256)
        var names = [CChar](repeating: 0, count: 4096)
        var namesLength = 0
        let status = mhd_shim_peer_certificate(connection, verify ? 1 : 0, &error, error.count, &names, names.count, &namesLength)
        switch status {
        case MHD_SHIM_PEER_NOT_TLS:
            return "the connection is not TLS" // cannot happen on a TLS daemon; refused, not let through
        case MHD_SHIM_PEER_NONE:
            if policy == .requireAny || policy == .requireAndVerify || allowedNames != nil {
                return "a client certificate is required"
            }
            return nil
        case MHD_SHIM_PEER_UNVERIFIED:
            return "the client certificate does not verify against the client CAs: \(String(nulTerminated: error))"
        default:
            guard let allowedNames else { return nil }
            let presented = names[..<namesLength].split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            return presented.contains(where: allowedNames.contains)
                ? nil : "the client certificate carries none of the allowed names (client_allowed_sans)"
        }
    }
}
