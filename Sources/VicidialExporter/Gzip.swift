import CZlib

/// gzip (RFC 1952) through zlib's deflate.
public enum Gzip {
    /// Level 1, zlib's fastest: on a 10,000-agent scrape it costs a fraction of what level 6
    /// does for a few percent more bytes (docs/benchmarks.md, "gzip").
    public static let level: Int32 = 1

    /// The gzip stream of `bytes`, or nil when zlib fails (out of memory).
    public static func compress(_ bytes: [UInt8], level: Int32 = level) -> [UInt8]? {
        bytes.withUnsafeBytes { bytes in compress(count: bytes.count, level: level) { $0(bytes) } }
    }

    /// The gzip stream of the pieces `forEachRegion` gives, in order (`count` bytes in all), or
    /// nil when zlib fails (out of memory).
    public static func compress(
        count: Int, level: Int32 = level, _ forEachRegion: ((UnsafeRawBufferPointer) -> Void) -> Void
    ) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16 asks for a gzip header and trailer instead of zlib's.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        // deflateBound is enough for the whole stream; the output grows should it not be.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(count))) + 64)
        var status = Z_OK
        func deflateStep(_ flush: Int32) {
            if Int(stream.total_out) == output.count { output += repeatElement(0, count: output.count) }
            output.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress! + Int(stream.total_out)
                stream.avail_out = uInt(buffer.count - Int(stream.total_out))
                status = deflate(&stream, flush)
            }
        }
        forEachRegion { region in
            guard status == Z_OK, let start = region.baseAddress, region.count > 0 else { return }
            stream.next_in = UnsafeMutablePointer(mutating: start.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = uInt(region.count)
            while status == Z_OK && stream.avail_in > 0 { deflateStep(Z_NO_FLUSH) }
        }
        guard status == Z_OK else { return nil }
        repeat { deflateStep(Z_FINISH) } while status == Z_OK
        guard status == Z_STREAM_END else { return nil }
        return Array(output[..<Int(stream.total_out)])
    }
}
