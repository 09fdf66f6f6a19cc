extension ByteSink where Self: ~Copyable {
    /// Appends `text` escaped for a label value or HELP text: backslash and newline always,
    /// double quote when `escapingQuotes` (label values in both formats, HELP in OpenMetrics
    /// only: the text format's HELP knows no `\"` and Prometheus rejects it there).
    mutating func append(escaping text: String, escapingQuotes: Bool) {
        var text = text
        text.withUTF8 { bytes in
            let needsEscaping = bytes.contains { byte in
                byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (escapingQuotes && byte == UInt8(ascii: "\""))
            }
            guard needsEscaping else { return append(bytes: UnsafeRawBufferPointer(bytes)) }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): append(ascii: "\\\\")
                case UInt8(ascii: "\n"): append(ascii: "\\n")
                case UInt8(ascii: "\"") where escapingQuotes: append(ascii: "\\\"")
                default: append(byte)
                }
            }
        }
    }
}
