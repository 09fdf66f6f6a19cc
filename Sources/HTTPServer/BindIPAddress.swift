#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The address the daemon binds, parsed from `HTTPServerConfiguration.host`.
enum BindIPAddress {
    /// All interfaces: libmicrohttpd binds the wildcard address itself.
    case any
    case ipv4(in_addr)
    case ipv6(in6_addr)

    init(host: String?) throws(HTTPServerError) {
        guard let host else {
            self = .any
            return
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self = .ipv4(v4)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            self = .ipv6(v6)
            return
        }
        throw .invalidHost(host)
    }

    /// Calls `body` with a socket address for `port`, or with nil for `.any`.
    func withSocketAddress<R>(port: UInt16, _ body: (UnsafePointer<sockaddr>?) -> R) -> R {
        switch self {
        case .any:
            return body(nil)
        case .ipv4(let address):
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = in_port_t(port).bigEndian
            socketAddress.sin_addr = address
            return Self.withGenericAddress(&socketAddress, body)
        case .ipv6(let address):
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = in_port_t(port).bigEndian
            socketAddress.sin6_addr = address
            return Self.withGenericAddress(&socketAddress, body)
        }
    }

    /// `address` (a `sockaddr_in` or `sockaddr_in6`) as the `sockaddr` the C API takes.
    private static func withGenericAddress<Address, R>(
        _ address: inout Address, _ body: (UnsafePointer<sockaddr>?) -> R
    ) -> R {
        withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0) } }
    }

    /// "host:port" for error messages.
    func describe(port: UInt16) -> String {
        switch self {
        case .any: "*:\(port)"
        case .ipv4(let address): "\(formatIPv4(address)):\(port)"
        case .ipv6(let address): "[\(formatIPv6(address))]:\(port)"
        }
    }
}

/// Whether this machine can open IPv6 sockets at all; without them the wildcard
/// listener falls back to IPv4 only.
func ipv6SocketsAvailable() -> Bool {
    #if canImport(Glibc)
    let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    let streamType = SOCK_STREAM
    #endif
    let probe = socket(AF_INET6, streamType, 0)
    guard probe >= 0 else { return false }
    close(probe)
    return true
}
