/// Parses `--web.listen-address`: `:9xxx` (all interfaces), `127.0.0.1:9xxx`, `[::1]:9xxx`,
/// `localhost:9xxx`, `0.0.0.0:9xxx`.
public struct ListenHostPort: Equatable, Sendable, CustomStringConvertible {
    /// nil means every interface (dual-stack).
    public var host: String?
    public var port: UInt16

    public init(host: String?, port: UInt16) {
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            return nil  // an IPv6 address needs brackets: [::1]:9xxx
        }
        self.port = port
        switch host {
        case "": self.host = nil
        case "localhost": self.host = "127.0.0.1"
        default: self.host = host
        }
    }

    /// Whether only this machine can connect: 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        guard let host else { return false }
        return AddressRange("127.0.0.0/8")!.contains(host) || host == "::1"
    }

    /// The flag's form: `:9957`, `127.0.0.1:9957`, `[::1]:9957`.
    public var description: String {
        guard let host else { return ":\(port)" }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Where a reverse proxy on this machine reaches the listener: its own address, or the
    /// loopback address of its family when it listens on every interface.
    var localURLAuthority: String {
        switch host {
        case nil, "0.0.0.0": "127.0.0.1:\(port)"
        case "::": "[::1]:\(port)"
        default: description
        }
    }
}
