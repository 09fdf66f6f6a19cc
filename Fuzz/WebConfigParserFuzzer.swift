import WebConfig

/// libFuzzer target: any bytes as a web config file, and as an `Authorization: Basic` value.
/// Parsing must give a configuration or a one-line, bounded error, never trap; what it accepts
/// must hold the parser's promises (TLS versions in order, a CA for every verifying policy,
/// only well-formed bcrypt hashes, only allowed headers).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebConfigParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = BasicCredentials(authorization: text)
    do {
        let config = try WebConfiguration(yaml: text, directory: "/etc/vicidial-exporter")
        if let tls = config.tls {
            precondition(tls.minVersion <= tls.maxVersion, "min_version above max_version accepted")
            precondition(tls.clientCAs != nil || !tls.clientAuth.verifiesCertificates, "a verifying policy without CAs accepted")
            precondition(tls.clientCAs == nil || tls.clientAuth != .noClientCert, "CAs without a policy accepted")
        }
        for (user, hash) in config.basicAuthUsers {
            precondition(!user.isEmpty && !user.contains(":"), "a user name basic auth cannot carry accepted")
            precondition(BcryptHash(hash.text) == hash, "a hash that does not parse again accepted")
        }
        for (name, value) in config.headers {
            precondition(["Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection",
                          "Content-Security-Policy"].contains(name), "header \(name) accepted")
            precondition(!value.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "a control character in a header value accepted")
        }
    } catch {
        let message = error.description
        precondition(!message.contains("\n"), "an error spans lines: \(message)")
        precondition(message.unicodeScalars.count < 1_024, "an error is unbounded")
    }
    return 0
}
