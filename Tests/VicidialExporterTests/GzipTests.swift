import TestSupport
import Testing
import VicidialExporter

/// zlib's gzip, round trip: what goes in comes back byte for byte.
struct GzipTests {
    @Test(arguments: [0, 1, 6, 9] as [Int32])
    func roundTrip(level: Int32) throws {
        let text = (0..<5_000).map { "vicidial_agent_state_seconds_total{user=\"sim\($0)\",state=\"talk\"} \($0 * 7)\n" }.joined()
        let original = Array(text.utf8)
        let compressed = try #require(Gzip.compress(original, level: level))
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08])  // gzip magic, deflate
        #expect(gunzip(compressed) == original)
        if level > 0 { #expect(compressed.count < original.count / 4) }
    }

    @Test func emptyInput() throws {
        let compressed = try #require(Gzip.compress([]))
        #expect(gunzip(compressed) == [])
    }

    @Test func everyByteValue() throws {
        let original = (0..<4_096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(gunzip(try #require(Gzip.compress(original))) == original)
    }
}
