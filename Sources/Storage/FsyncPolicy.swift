/// When the journal asks the kernel to put written records on the disk (`fdatasync`). Every
/// record is written to the file (the kernel's page cache) before its event is acknowledged,
/// so a crash of the process loses nothing acknowledged under any policy; the policy decides
/// what a power cut or kernel crash can take.
public enum FsyncPolicy: Sendable, Equatable, CustomStringConvertible {
    /// Sync before acknowledging; requests waiting at the same time share one sync (group commit).
    case always
    /// Sync in the background at most this many seconds after a write; a power cut loses at
    /// most that much of what was acknowledged.
    case interval(Double)
    /// Leave write-back to the kernel (typically within 30 s); segment ends and snapshots
    /// are still synced.
    case never

    public var description: String {
        switch self {
        case .always: "always"
        case .interval(let seconds): "\(seconds)s"
        case .never: "never"
        }
    }
}
