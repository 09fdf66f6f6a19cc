import Storage

#if canImport(Glibc)
import Glibc
#endif

/// What `check` finds at `--storage.path`, found without changing it: a directory that is not
/// there yet is created by the exporter; one that is must be readable, writable and not held
/// by a running exporter.
enum StorageProbe {
    enum Found {
        case readable(StorageDirectory)
        case unusable(String)
    }

    /// Nil when nothing is at `path` (the exporter creates it).
    static func inspect(_ path: String) -> Found? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return errno == ENOENT ? nil : .unusable(systemReason(errno))
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { return .unusable("not a directory") }
        do {
            return .readable(try StorageDirectory(readingOnly: path))
        } catch {
            return .unusable("\(error)")
        }
    }

    /// Why the exporter could not create `path`: its parent is missing or not writable.
    static func creationProblem(_ path: String) -> String? {
        let parent = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return writeProblem(in: parent.isEmpty ? "/" : parent).map { "cannot be created: \(parent): \($0)" }
    }

    /// Why the exporter could not use the existing `directory`: a running exporter holds it,
    /// or no file can be created in it.
    static func writeProblem(_ path: String, directory: StorageDirectory) -> String? {
        do {
            if try directory.isLockedByAnotherProcess() { return "in use by a running vicidial-exporter (its lock file is held)" }
        } catch {
            return "\(error)"
        }
        return writeProblem(in: path).map { "not writable: \($0)" }
    }

    /// Creates and removes a file in `directory`: the only test that holds for root, read-only
    /// mounts and ACLs alike.
    private static func writeProblem(in directory: String) -> String? {
        let probe = directory + "/.vicidial-exporter-check-\(getpid())"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return systemReason(errno) }
        close(descriptor)
        unlink(probe)
        return nil
    }

    private static func systemReason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
