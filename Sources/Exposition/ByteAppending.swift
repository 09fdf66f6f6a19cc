/// Where exposition text is appended: the writer's `OutputBuffer`, or a `[UInt8]` for the
/// small pieces rendered ahead of time (label values, bucket bounds). The helpers below build
/// no intermediate Strings.
protocol ByteSink: ~Copyable {
    mutating func append(_ byte: UInt8)
    mutating func append(bytes: UnsafeRawBufferPointer)
}

extension [UInt8]: ByteSink {
    mutating func append(bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}

extension ByteSink where Self: ~Copyable {
    mutating func append(ascii text: StaticString) {
        append(bytes: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(bytes: $0) }
    }

    mutating func appendDecimal(_ value: UInt64) {
        // Digits right to left into a stack buffer, then one copy.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            var remaining = value
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            append(bytes: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }
}
