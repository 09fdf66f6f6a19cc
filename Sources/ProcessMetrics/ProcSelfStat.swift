/// The fields of `/proc/self/stat` (proc(5)) that the process metrics use, in kernel units.
public struct ProcSelfStat: Sendable, Equatable {
    /// Field 14, `utime`, in clock ticks.
    public var userTicks: UInt64
    /// Field 15, `stime`, in clock ticks.
    public var systemTicks: UInt64
    /// Field 20, `num_threads`.
    public var threads: UInt64
    /// Field 22, `starttime`, in clock ticks after boot.
    public var startTicks: UInt64
    /// Field 23, `vsize`, in bytes.
    public var virtualMemoryBytes: UInt64
    /// Field 24, `rss`, in pages.
    public var residentPages: UInt64

    public init(
        userTicks: UInt64, systemTicks: UInt64, threads: UInt64, startTicks: UInt64,
        virtualMemoryBytes: UInt64, residentPages: UInt64
    ) {
        self.userTicks = userTicks
        self.systemTicks = systemTicks
        self.threads = threads
        self.startTicks = startTicks
        self.virtualMemoryBytes = virtualMemoryBytes
        self.residentPages = residentPages
    }
}
