#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `bytes` to `descriptor`, again after a short write or an interrupted one;
/// a failure throws naming `path` (what the descriptor is, for the message).
public func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(StorageError) {
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
        if count < 0 {
            if errno == EINTR { continue }
            throw StorageError("write", path, code: errno)
        }
        written += count
    }
}
