/// Text rules shared by the field validations.
enum FieldText {
    /// `text` without surrounding white space.
    static func trimmed(_ text: Substring) -> Substring {
        // The usual case, without walking the scalars: printable ASCII at both ends.
        if let first = text.utf8.first, let last = text.utf8.last,
            (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last)
        {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
            let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else {
            return text[text.endIndex...]
        }
        return Substring(scalars[first...last])
    }

    static func trimmed(_ text: String) -> Substring {
        trimmed(text[...])
    }

    /// Unicode White_Space; the property lookup is skipped for ASCII, the usual case.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// C0 controls, DEL and C1 controls (general category Cc).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Controls plus the Unicode line and paragraph separators: what could split a line of text.
    static func isControlOrSeparator(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// "U+000A" for a line feed.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Free text kept on the event: controls other than tab and line separators become spaces
    /// (logs and the journal stay one line per event), and only the first `limit` characters
    /// (Unicode scalars, as MySQL counts VARCHAR lengths) are kept.
    static func cleaned(_ text: some StringProtocol, limit: Int) -> String {
        // The heartbeat path: short printable ASCII is kept as it is.
        if text.utf8.count <= limit, text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) {
            return String(text)
        }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(limit) {
            result.append(isControlOrSeparator(scalar) && scalar != "\t" ? " " : scalar)
        }
        return String(result)
    }

    /// Decimal digits with optional surrounding white space; nil for anything else or overflow.
    static func integer<Integer: FixedWidthInteger>(_ text: Substring, as _: Integer.Type) -> Integer? {
        let digits = trimmed(text).utf8
        guard !digits.isEmpty else { return nil }
        var value: Integer = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(Integer(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
