#if canImport(Glibc)
import Glibc
#endif

/// A small file (a config, a token) read whole, refused once it passes `maxBytes`.
public enum SmallFile {
    public enum Failure: Error, Equatable {
        /// The system's reason (`strerror`).
        case system(String)
        case tooLarge
    }

    public static func read(_ path: String, maxBytes: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = Glibc.read(descriptor, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            guard bytes.count <= maxBytes else { throw .tooLarge }
        }
    }
}
