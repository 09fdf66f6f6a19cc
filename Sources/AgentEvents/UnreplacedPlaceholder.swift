/// A literal `--A--name--B--` left in a field: VICIdial substitutes only the placeholders it
/// knows, so a misspelled one (or a push that does no substitution) arrives verbatim.
enum UnreplacedPlaceholder {
    /// The first `--A--` ... `--B--` span in `value`, if any.
    static func find(in value: String) -> Substring? {
        var value = value
        guard let span = value.withUTF8(span(in:)) else { return nil }
        // The markers are ASCII, so byte offsets are character boundaries.
        let utf8 = value.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: span.lowerBound)
        return value[start..<utf8.index(start, offsetBy: span.count)]
    }

    private static func span(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let open = offset(of: "--A--", in: bytes, from: 0),
            let close = offset(of: "--B--", in: bytes, from: open + 5)
        else {
            return nil
        }
        return open..<close + 5
    }

    private static func offset(of marker: StaticString, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        marker.withUTF8Buffer { marker in
            var offset = start
            while offset + marker.count <= bytes.count {
                // The first byte rules out almost every offset before a slice is compared.
                if bytes[offset] == marker[0],
                    UnsafeBufferPointer(rebasing: bytes[offset..<offset + marker.count]).elementsEqual(marker)
                {
                    return offset
                }
                offset += 1
            }
            return nil
        }
    }
}
