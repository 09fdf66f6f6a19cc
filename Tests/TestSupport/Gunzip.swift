import CZlib

/// The bytes inside a gzip stream, through zlib's inflate; nil when the stream is damaged,
/// incomplete or followed by anything.
public func gunzip(_ compressed: [UInt8]) -> [UInt8]? {
    var stream = z_stream()
    // windowBits 15 + 16: a gzip header and trailer, checked.
    guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    return compressed.withUnsafeBufferPointer { input -> [UInt8]? in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            output += chunk[..<(chunk.count - Int(stream.avail_out))]
            switch status {
            case Z_STREAM_END: return stream.avail_in == 0 ? output : nil
            case Z_OK: continue
            default: return nil  // Z_BUF_ERROR here means the input ended early
            }
        }
    }
}
