import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--target`: the exporter's address as `IP:PORT` or `[IPv6]:PORT` (`localhost` is 127.0.0.1);
/// the client connects to literal addresses only.
struct TargetHostPort: ExpressibleByArgument, CustomStringConvertible {
    let host: String
    let port: UInt16

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = UInt16(argument[argument.index(after: colon)...]), port > 0
        else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { host = "127.0.0.1" }
        var address = in6_addr()
        guard inet_pton(host.contains(":") ? AF_INET6 : AF_INET, host, &address) == 1 else { return nil }
        self.host = host
        self.port = port
    }

    /// The Host header's value.
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
