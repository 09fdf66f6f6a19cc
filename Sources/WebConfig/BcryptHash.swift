/// A bcrypt hash as `htpasswd -nBC 10` writes it: `$2y$10$` followed by 53 characters of
/// bcrypt's base64 (a 22-character salt and a 31-character digest). `$2a$` and `$2b$` are the
/// same scheme; the cost is 4 to 31.
public struct BcryptHash: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let cost: Int

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
              bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
              let tens = Self.digit(bytes[4]), let units = Self.digit(bytes[5]),
              (4...31).contains(tens * 10 + units),
              bytes[7...].allSatisfy(Self.isBcryptBase64)
        else { return nil }
        self.text = text
        self.cost = tens * 10 + units
    }

    /// Hashes are secrets of a kind (they can be attacked offline): never printed whole.
    public var description: String { "bcrypt hash (cost \(cost))" }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func isBcryptBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "/"):
            true
        default: false
        }
    }
}
