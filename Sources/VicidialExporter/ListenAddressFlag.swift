/// Parses `--web.listen-address`: `:9xxx` (all interfaces), `127.0.0.1:9xxx`, `[::1]:9xxx`,
/// `localhost:9xxx`, `0.0.0.0:9xxx`.
public struct ListenAddressFlag: Equatable, Sendable {
    /// nil means every interface (dual-stack).
    public var host: String?
    public var port: UInt16

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
}
