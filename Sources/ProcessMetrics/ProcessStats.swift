/// A snapshot of this process's resource use, read from Linux's `/proc`.
///
/// The wiring layer exposes these as the standard process metrics that the official
/// Prometheus client libraries export, with the same names, types and units so existing
/// dashboards and alerts work (help texts as the Go client words them):
///
/// | Metric | Type | Field | Help |
/// |---|---|---|---|
/// | `process_cpu_seconds_total` | counter | ``cpuSecondsTotal`` | Total user and system CPU time spent in seconds. |
/// | `process_resident_memory_bytes` | gauge | ``residentMemoryBytes`` | Resident memory size in bytes. |
/// | `process_virtual_memory_bytes` | gauge | ``virtualMemoryBytes`` | Virtual memory size in bytes. |
/// | `process_start_time_seconds` | gauge | ``startTimeSeconds`` | Start time of the process since unix epoch in seconds. |
/// | `process_open_fds` | gauge | ``openFileDescriptors`` | Number of open file descriptors. |
/// | `process_max_fds` | gauge | ``maxFileDescriptors`` | Maximum number of open file descriptors. |
/// | `process_threads` | gauge | ``threads`` | Number of OS threads in the process. (Not from the Go client; the Rust client's name.) |
public struct ProcessStats: Sendable, Equatable {
    /// User plus system CPU time.
    public var cpuSecondsTotal: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    /// Unix time the process started.
    public var startTimeSeconds: Double
    /// Entries in `/proc/self/fd`, including the one used to list them (as other clients count).
    public var openFileDescriptors: Double
    /// The soft limit on open files; `+Inf` when unlimited.
    public var maxFileDescriptors: Double
    public var threads: Double?

    public init(
        cpuSecondsTotal: Double, residentMemoryBytes: Double, virtualMemoryBytes: Double,
        startTimeSeconds: Double, openFileDescriptors: Double, maxFileDescriptors: Double, threads: Double?
    ) {
        self.cpuSecondsTotal = cpuSecondsTotal
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.startTimeSeconds = startTimeSeconds
        self.openFileDescriptors = openFileDescriptors
        self.maxFileDescriptors = maxFileDescriptors
        self.threads = threads
    }
}
