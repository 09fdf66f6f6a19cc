#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads ``ProcessStats`` for the calling process from procfs (Linux only; elsewhere
/// ``read(procRoot:)`` finds no files and returns nil).
public enum ProcessStatsReader {
    /// Reads `self/stat`, `stat`, `self/limits` and `self/fd` under `procRoot`; nil if
    /// any is missing or unparsable. `procRoot` is injectable for tests.
    public static func read(procRoot: String = "/proc") -> ProcessStats? {
        guard let stat = ProcFiles.contents(of: procRoot + "/self/stat").flatMap(parseStat),
              let bootTime = ProcFiles.contents(of: procRoot + "/stat").flatMap(parseBootTime),
              let maxOpenFiles = ProcFiles.contents(of: procRoot + "/self/limits").flatMap(parseMaxOpenFiles),
              let openFiles = ProcFiles.entryCount(of: procRoot + "/self/fd")
        else { return nil }
        return stats(
            stat: stat, bootTime: bootTime, openFileDescriptors: openFiles, maxFileDescriptors: maxOpenFiles,
            clockTicksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), pageSize: Double(sysconf(Int32(_SC_PAGESIZE)))
        )
    }

    /// Converts the parsed kernel values to ``ProcessStats`` units (seconds, bytes).
    public static func stats(
        stat: ProcSelfStat, bootTime: Double, openFileDescriptors: Int, maxFileDescriptors: Double,
        clockTicksPerSecond: Double, pageSize: Double
    ) -> ProcessStats {
        ProcessStats(
            cpuSecondsTotal: Double(stat.userTicks + stat.systemTicks) / clockTicksPerSecond,
            residentMemoryBytes: Double(stat.residentPages) * pageSize,
            virtualMemoryBytes: Double(stat.virtualMemoryBytes),
            startTimeSeconds: bootTime + Double(stat.startTicks) / clockTicksPerSecond,
            openFileDescriptors: Double(openFileDescriptors),
            maxFileDescriptors: maxFileDescriptors,
            threads: Double(stat.threads)
        )
    }
}
