import Storage
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The real file system with faults switched on and off by the test: a disk that fills up
/// after a number of bytes (the last write lands in part), a read-only remount, I/O errors on
/// sync; and a gate that holds syncs, to line up group commits deterministically.
public final class FaultInjectingFileSystem: FileSystem {
    public enum Fault: Sendable, Equatable {
        /// Writes succeed for this many more bytes, then fail with ENOSPC (the one that
        /// crosses the line is written in part).
        case full(bytesLeft: Int)
        /// Every write, create, rename, removal and sync fails with EROFS.
        case readOnly
        /// Syncs fail with EIO; writes succeed.
        case syncFails
    }

    private let base = PosixFileSystem()
    private let fault = Mutex<Fault?>(nil)
    private let syncGate = Mutex<SyncGate?>(nil)

    public init() {}

    public func inject(_ fault: Fault?) { self.fault.withLock { $0 = fault } }

    /// From now on each sync signals `entered` and then waits for `release` before syncing.
    public func holdSyncs(entered: @escaping @Sendable () -> Void, release: @escaping @Sendable () -> Void) {
        syncGate.withLock { $0 = SyncGate(entered: entered, release: release) }
    }

    public func releaseSyncs() { syncGate.withLock { $0 = nil } }

    struct SyncGate {
        let entered: @Sendable () -> Void
        let release: @Sendable () -> Void
    }

    // MARK: FileSystem

    public func makeDirectory(_ path: String) throws(StorageError) {
        try refuseIfReadOnly("create directory", path)
        try base.makeDirectory(path)
    }

    public func contents(ofDirectory path: String) throws(StorageError) -> [String] { try base.contents(ofDirectory: path) }

    public func read(_ path: String) throws(StorageError) -> [UInt8] { try base.read(path) }

    public func modificationTime(_ path: String) throws(StorageError) -> Double { try base.modificationTime(path) }

    public func create(_ path: String) throws(StorageError) -> any WritableFile {
        try refuseIfReadOnly("create", path)
        return FaultyFile(try base.create(path), fileSystem: self)
    }

    public func openForAppend(_ path: String) throws(StorageError) -> any WritableFile {
        try refuseIfReadOnly("open", path)
        return FaultyFile(try base.openForAppend(path), fileSystem: self)
    }

    public func rename(_ path: String, to newPath: String) throws(StorageError) {
        try refuseIfReadOnly("rename", path)
        try base.rename(path, to: newPath)
    }

    public func remove(_ path: String) throws(StorageError) {
        try refuseIfReadOnly("remove", path)
        try base.remove(path)
    }

    public func syncDirectory(_ path: String) throws(StorageError) {
        try refuseIfReadOnly("sync directory", path)
        try base.syncDirectory(path)
    }

    public func lockExclusively(_ path: String) throws(StorageError) -> (any WritableFile)? { try base.lockExclusively(path) }

    fileprivate func refuseIfReadOnly(_ operation: String, _ path: String) throws(StorageError) {
        if fault.withLock({ $0 }) == .readOnly { throw StorageError(operation, path, code: EROFS) }
    }

    /// How many of `count` bytes the disk takes now, charging them to a `.full` budget.
    fileprivate func admit(_ count: Int) -> Int {
        fault.withLock { fault in
            guard case .full(let left) = fault else { return count }
            let taken = min(left, count)
            fault = .full(bytesLeft: left - taken)
            return taken
        }
    }

    fileprivate func beforeSync(_ path: String) throws(StorageError) {
        if let gate = syncGate.withLock({ $0 }) {
            gate.entered()
            gate.release()
        }
        try refuseIfReadOnly("sync", path)
        if fault.withLock({ $0 }) == .syncFails { throw StorageError("sync", path, code: EIO) }
    }
}

private final class FaultyFile: WritableFile {
    private let file: any WritableFile
    private let fileSystem: FaultInjectingFileSystem

    init(_ file: any WritableFile, fileSystem: FaultInjectingFileSystem) {
        self.file = file
        self.fileSystem = fileSystem
    }

    var path: String { file.path }

    func write(_ bytes: [UInt8]) throws(StorageError) {
        try fileSystem.refuseIfReadOnly("write", path)
        let admitted = fileSystem.admit(bytes.count)
        if admitted > 0 { try file.write(Array(bytes[0..<admitted])) }
        if admitted < bytes.count { throw StorageError("write", path, code: ENOSPC) }
    }

    func sync() throws(StorageError) {
        try fileSystem.beforeSync(path)
        try file.sync()
    }

    func truncate(to length: Int) throws(StorageError) {
        try fileSystem.refuseIfReadOnly("truncate", path)
        try file.truncate(to: length)
    }

    func close() { file.close() }
}
