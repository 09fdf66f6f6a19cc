import CZlib

/// gzip (RFC 1952) through zlib's deflate, in one call over the whole input.
public enum Gzip {
    /// Level 1, zlib's fastest: on a 10,000-agent scrape it costs a fraction of what level 6
    /// does for a few percent more bytes (docs/benchmarks.md, "gzip").
    public static let level: Int32 = 1

    /// The gzip stream of `bytes`, or nil when zlib fails (out of memory).
    public static func compress(_ bytes: [UInt8], level: Int32 = level) -> [UInt8]? {
        bytes.withUnsafeBytes { compress($0, level: level) }
    }

    /// The gzip stream of `bytes`, or nil when zlib fails (out of memory).
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = level) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16 asks for a gzip header and trailer instead of zlib's.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var finished = false
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            stream.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: UInt8.self).baseAddress)
            stream.avail_in = uInt(bytes.count)
            stream.next_out = buffer.baseAddress
            stream.avail_out = uInt(bound)
            // deflateBound leaves room for the whole stream, so one Z_FINISH call ends it.
            finished = deflate(&stream, Z_FINISH) == Z_STREAM_END
            count = finished ? Int(stream.total_out) : 0
        }
        return finished ? output : nil
    }
}
