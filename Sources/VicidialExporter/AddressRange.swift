#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`), or one address
/// (`192.0.2.7`, `::1`), for `--ingest.allowed-sources` and `--web.trusted-proxies`.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), host bits cleared.
    private let network: [UInt8]
    private let prefixLength: Int

    /// nil for anything but an address with an optional `/prefix` within its family's width.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.bytes(of: String(parts[0])) else { return nil }
        let width = address.count * 8
        var prefix = width
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
                let parsed = Int(parts[1]), parsed <= width
            else { return nil }
            prefix = parsed
        }
        network = Self.masked(address, prefix)
        prefixLength = prefix
    }

    /// Whether `address` (text as `HTTPRequest.remoteAddress` has it) is in the range.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address), bytes.count == network.count else { return false }
        return Self.masked(bytes, prefixLength) == network
    }

    public var description: String {
        let family = network.count == 4 ? AF_INET : AF_INET6
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = network.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/\(prefixLength)"
    }

    /// A comma-separated list (spaces allowed); throws naming the first entry that is not a range.
    public static func list(_ text: String) throws(InvalidEntry) -> [AddressRange] {
        try text.split(separator: ",").map { entry throws(InvalidEntry) in
            let trimmed = entry.trimmingCharacters(in: " ")
            guard let range = AddressRange(trimmed) else { throw InvalidEntry(entry: trimmed) }
            return range
        }
    }

    public struct InvalidEntry: Error, Equatable {
        public let entry: String
    }

    /// The address's bytes: an IPv4-mapped IPv6 address counts as IPv4, as the server reports it.
    private static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        let isV4Mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        return isV4Mapped ? Array(bytes[12...]) : bytes
    }

    private static func masked(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(prefix - index * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(UInt8(0xFF) >> UInt8(bits))
        }
    }
}

extension Array where Element == AddressRange {
    func containsAddress(_ address: String) -> Bool { contains { $0.contains(address) } }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        let start = firstIndex { !characters.contains($0) } ?? endIndex
        let end = lastIndex { !characters.contains($0) }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
