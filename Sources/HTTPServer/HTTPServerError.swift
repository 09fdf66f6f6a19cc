/// Why an `HTTPServer` could not start.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    /// The host is not a literal IPv4 or IPv6 address.
    case invalidHost(String)
    /// A numeric setting is out of range; the text names it.
    case invalidConfiguration(String)
    /// libmicrohttpd refused to start, e.g. because the address is in use.
    case startFailed(address: String, reason: String)
    /// The TLS certificate, key, client CAs or priorities cannot be used; the text says which.
    case invalidTLS(String)
    /// The server no longer listens (a replacement daemon failed in a way that shut the shared
    /// socket down): it must be restarted.
    case listenerLost(String)
    /// The server is stopping or stopped.
    case stopping

    public var description: String {
        switch self {
        case .invalidHost(let host):
            "invalid listen host \"\(host)\": expected a literal IPv4 or IPv6 address"
        case .invalidConfiguration(let problem):
            "invalid HTTP server configuration: \(problem)"
        case .startFailed(let address, let reason):
            "cannot listen on \(address): \(reason)"
        case .invalidTLS(let problem):
            "TLS: \(problem)"
        case .listenerLost(let reason):
            "the listening socket was lost: \(reason)"
        case .stopping:
            "the server is stopping"
        }
    }
}
