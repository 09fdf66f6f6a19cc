#if canImport(Glibc)
import Glibc
#endif

/// The real file system, through POSIX calls.
public struct PosixFileSystem: FileSystem {
    public init() {}

    public func makeDirectory(_ path: String) throws(StorageError) {
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            components.append(component)
            let prefix = components.joined(separator: "/")
            guard !prefix.isEmpty, prefix != "." else { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw StorageError("create directory", prefix, code: errno) }
        }
    }

    public func contents(ofDirectory path: String) throws(StorageError) -> [String] {
        guard let directory = opendir(path) else { throw StorageError("list", path, code: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func read(_ path: String) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError("open", path, code: errno) }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError("read", path, code: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    public func modificationTime(_ path: String) throws(StorageError) -> Double {
        var status = stat()
        guard stat(path, &status) == 0 else { throw StorageError("stat", path, code: errno) }
        return Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
    }

    public func create(_ path: String) throws(StorageError) -> any WritableFile {
        try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, operation: "create")
    }

    public func openForAppend(_ path: String) throws(StorageError) -> any WritableFile {
        try PosixFile(path: path, flags: O_WRONLY | O_APPEND | O_CLOEXEC, operation: "open")
    }

    public func rename(_ path: String, to newPath: String) throws(StorageError) {
        if Glibc.rename(path, newPath) != 0 { throw StorageError("rename", path, code: errno) }
    }

    public func remove(_ path: String) throws(StorageError) {
        if unlink(path) != 0 && errno != ENOENT { throw StorageError("remove", path, code: errno) }
    }

    public func syncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError("open directory", path, code: errno) }
        defer { Glibc.close(fd) }
        if fsync(fd) != 0 { throw StorageError("sync directory", path, code: errno) }
    }

    public func lockExclusively(_ path: String) throws(StorageError) -> (any WritableFile)? {
        let file = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_CLOEXEC, operation: "create lock file")
        guard flock(file.descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            file.close()
            if code == EWOULDBLOCK { return nil }
            throw StorageError("lock", path, code: code)
        }
        return file
    }
}

/// A file descriptor open for writing. `close` happens once, after the last use (the journal
/// serialises it with writes and syncs).
final class PosixFile: WritableFile {
    let path: String
    let descriptor: Int32

    init(path: String, flags: Int32, operation: String) throws(StorageError) {
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw StorageError(operation, path, code: errno) }
        self.path = path
        self.descriptor = fd
    }

    func write(_ bytes: [UInt8]) throws(StorageError) {
        try writeAll(bytes, to: descriptor, path: path)
    }

    func sync() throws(StorageError) {
        if fdatasync(descriptor) != 0 { throw StorageError("sync", path, code: errno) }
    }

    func truncate(to length: Int) throws(StorageError) {
        if ftruncate(descriptor, off_t(length)) != 0 { throw StorageError("truncate", path, code: errno) }
    }

    func close() { Glibc.close(descriptor) }
}
