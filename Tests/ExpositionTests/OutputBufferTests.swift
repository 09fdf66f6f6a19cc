import Testing

@testable import Exposition

/// `OutputBuffer` copies pieces of up to 16 bytes itself (overlapping word copies) and larger
/// ones with `memcpy`; every length must land exactly, across growth of the buffer.
@Suite struct OutputBufferTests {
    @Test func piecesOfEveryLengthAreCopiedExactly() {
        var buffer = OutputBuffer(capacity: 1)
        var expected: [UInt8] = []
        for length in 0...40 {
            let piece = (0..<length).map { UInt8(truncatingIfNeeded: length &* 31 &+ $0 &* 7 &+ 1) }
            piece.withUnsafeBytes { buffer.append(bytes: $0) }
            expected += piece
            buffer.append(0)  // a separator: a copy that wrote past its piece would be overwritten or shifted
            expected.append(0)
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.bytes() == expected)
    }

    @Test func removeAllKeepsNothingOfWhatWasWritten() {
        var buffer = OutputBuffer(capacity: 4)
        Array("0123456789abcdefXYZ".utf8).withUnsafeBytes { buffer.append(bytes: $0) }
        buffer.removeAll()
        Array("abc".utf8).withUnsafeBytes { buffer.append(bytes: $0) }
        #expect(buffer.bytes() == Array("abc".utf8))
    }
}
