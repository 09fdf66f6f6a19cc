/// The file operations the journal and snapshots use, behind a protocol so tests can inject
/// faults (a full disk, a read-only mount, I/O errors) at any step. `PosixFileSystem` is the
/// real one.
public protocol FileSystem: Sendable {
    func makeDirectory(_ path: String) throws(StorageError)
    /// File names (not paths) in a directory.
    func contents(ofDirectory path: String) throws(StorageError) -> [String]
    func read(_ path: String) throws(StorageError) -> [UInt8]
    /// When the file was last written (its mtime), Unix seconds: compaction keeps the journal
    /// segments written within `--storage.retention`.
    func modificationTime(_ path: String) throws(StorageError) -> Double
    /// Creates (or empties) a file for writing; every write goes to its end, also after a truncate.
    func create(_ path: String) throws(StorageError) -> any WritableFile
    /// Opens an existing file for writing at its end.
    func openForAppend(_ path: String) throws(StorageError) -> any WritableFile
    func rename(_ path: String, to newPath: String) throws(StorageError)
    func remove(_ path: String) throws(StorageError)
    /// fsync on the directory, so a rename or a new file in it survives a power cut.
    func syncDirectory(_ path: String) throws(StorageError)
    /// Takes an exclusive lock for the life of the process; nil when another process holds it.
    func lockExclusively(_ path: String) throws(StorageError) -> (any WritableFile)?
}

/// A file open for writing. Writes happen on one thread at a time (the journal's lock);
/// `sync` may run on another thread at the same time, as fdatasync allows.
public protocol WritableFile: AnyObject, Sendable {
    var path: String { get }
    /// Writes all of `bytes`, or throws; a failure may leave part of them written.
    func write(_ bytes: [UInt8]) throws(StorageError)
    func sync() throws(StorageError)
    func truncate(to length: Int) throws(StorageError)
    func close()
}
