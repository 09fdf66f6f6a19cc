/// Lenient `application/x-www-form-urlencoded` decoding for bodies and query strings.
///
/// The agent screen does not percent-encode values and get2post.php relays them raw, so a
/// stray `%` stays literal instead of failing the event, and invalid UTF-8 becomes U+FFFD.
enum FormDecoding {
    /// Adds the known fields of `bytes` to `fields`; a field that already has a value keeps it.
    static func collect(_ bytes: UnsafeBufferPointer<UInt8>, into fields: inout RawFields) {
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
            if end > start {
                collectPiece(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &fields)
            }
            start = end + 1
        }
    }

    static func collect(_ bytes: [UInt8], into fields: inout RawFields) {
        bytes.withUnsafeBufferPointer { collect($0, into: &fields) }
    }

    static func collect(_ text: String, into fields: inout RawFields) {
        var text = text
        text.withUTF8 { collect($0, into: &fields) }
    }

    /// Percent- and plus-decodes one key or value.
    static func decode(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        guard raw.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: raw, as: UTF8.self)
        }
        // Decoding never lengthens the text; the initializer repairs invalid UTF-8 with U+FFFD.
        return String(unsafeUninitializedCapacity: raw.count) { out in
            var read = 0
            var written = 0
            while read < raw.count {
                let byte = raw[read]
                if byte == UInt8(ascii: "+") {
                    out[written] = UInt8(ascii: " ")
                    read += 1
                } else if byte == UInt8(ascii: "%"), read + 2 < raw.count,
                    let high = hexValue(raw[read + 1]), let low = hexValue(raw[read + 2])
                {
                    out[written] = high << 4 | low
                    read += 3
                } else {
                    out[written] = byte
                    read += 1
                }
                written += 1
            }
            return written
        }
    }

    /// One `key=value` piece; the value is only decoded for a known field still unset.
    private static func collectPiece(_ piece: UnsafeBufferPointer<UInt8>, into fields: inout RawFields) {
        let separator = piece.firstIndex(of: UInt8(ascii: "=")) ?? piece.count
        let key = UnsafeBufferPointer(rebasing: piece[..<separator])
        guard let field = field(named: key), fields[field] == nil else { return }
        let valueStart = min(separator + 1, piece.count)
        fields[field] = decode(UnsafeBufferPointer(rebasing: piece[valueStart...]))
    }

    private static func field(named key: UnsafeBufferPointer<UInt8>) -> EventField? {
        if key.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return EventField(rawValue: decode(key))
        }
        return EventField(name: key)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
