/// The user and password of an `Authorization: Basic` header (RFC 7617). The password is kept
/// as the bytes sent, as Go's exporter-toolkit compares it: decoding it as text would let
/// different byte strings turn into the same password.
public struct BasicCredentials: Sendable, Equatable {
    public let user: String
    public let password: [UInt8]

    public init(user: String, password: [UInt8]) {
        self.user = user
        self.password = password
    }

    public init(user: String, password: String) {
        self.init(user: user, password: Array(password.utf8))
    }

    /// Reads the header's value; nil when it is not Basic, not base64, or holds no ':'.
    public init?(authorization: String) {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Self.base64Decode(parts[1].trimmingSpaces()),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        user = String(decoding: decoded[..<colon], as: UTF8.self)
        password = Array(decoded[(colon + 1)...])
    }

    /// Standard base64 with padding; nil for anything else.
    static func base64Decode(_ text: Substring) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            var group: UInt32 = 0
            var padding = 0
            for offset in 0..<4 {
                let byte = bytes[index + offset]
                if byte == UInt8(ascii: "=") {
                    // Padding only at the very end, and at most two.
                    guard index + 4 == bytes.count, offset >= 2 else { return nil }
                    padding += 1
                    group <<= 6
                } else {
                    guard padding == 0, let value = sextet(byte) else { return nil }
                    group = group << 6 | UInt32(value)
                }
            }
            output.append(UInt8(truncatingIfNeeded: group >> 16))
            if padding < 2 { output.append(UInt8(truncatingIfNeeded: group >> 8)) }
            if padding < 1 { output.append(UInt8(truncatingIfNeeded: group)) }
            index += 4
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}

private extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " || result.first == "\t" { result.removeFirst() }
        while result.last == " " || result.last == "\t" { result.removeLast() }
        return result
    }
}
