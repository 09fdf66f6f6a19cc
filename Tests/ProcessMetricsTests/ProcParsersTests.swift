import ProcessMetrics
import Testing

@Suite struct ProcParsersTests {
    /// A real /proc/self/stat line with its comm replaced by one holding spaces and parentheses.
    static let stat = "4242 (my (weird) proc) S 1 4242 4242 0 -1 4194560 1234 0 5 0 "
        + "250 75 0 0 20 0 7 0 123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"

    @Test func statFields() {
        #expect(ProcessStatsReader.parseStat(Self.stat) == ProcSelfStat(
            userTicks: 250, systemTicks: 75, threads: 7, startTicks: 123_456,
            virtualMemoryBytes: 987_654_321, residentPages: 2048))
    }

    @Test func commThatLooksLikeFields() {
        let stat = "1 (a) b) 1 2 3 4 5 6 7 8 9 10 11 12) R 1 1 1 0 -1 0 0 0 0 0 "
            + "3 4 0 0 20 0 2 0 99 4096 10 0"
        #expect(ProcessStatsReader.parseStat(stat) == ProcSelfStat(
            userTicks: 3, systemTicks: 4, threads: 2, startTicks: 99, virtualMemoryBytes: 4096, residentPages: 10))
    }

    @Test(arguments: ["", "4242 my proc S 1", "4242 (short) S 1 2 3", "4242 (x) S 1 4242 4242 0 -1 0 0 0 0 0 a b 0 0 20 0 7 0 1 2 3"])
    func malformedStat(_ text: String) {
        #expect(ProcessStatsReader.parseStat(text) == nil)
    }

    @Test func bootTime() {
        let procStat = "cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 5 6\nctxt 789\nbtime 1700000000\nprocesses 42\n"
        #expect(ProcessStatsReader.parseBootTime(procStat) == 1_700_000_000)
        #expect(ProcessStatsReader.parseBootTime("cpu 1 2 3\n") == nil)
    }

    static let limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max open files            1024                 524288               files
        Max locked memory         8388608              8388608              bytes

        """

    @Test func maxOpenFiles() {
        #expect(ProcessStatsReader.parseMaxOpenFiles(Self.limits) == 1024)
        let unlimited = Self.limits.replacing("1024   ", with: "unlimited")
        #expect(ProcessStatsReader.parseMaxOpenFiles(unlimited) == .infinity)
        #expect(ProcessStatsReader.parseMaxOpenFiles("Limit Soft Limit\n") == nil)
    }

    @Test func unitConversion() {
        let stat = ProcSelfStat(
            userTicks: 250, systemTicks: 75, threads: 7, startTicks: 123_450,
            virtualMemoryBytes: 987_654_321, residentPages: 2048)
        let stats = ProcessStatsReader.stats(
            stat: stat, bootTime: 1_700_000_000, openFileDescriptors: 9, maxFileDescriptors: 1024,
            clockTicksPerSecond: 100, pageSize: 4096)
        #expect(stats == ProcessStats(
            cpuSecondsTotal: 3.25, residentMemoryBytes: 8_388_608, virtualMemoryBytes: 987_654_321,
            startTimeSeconds: 1_700_001_234.5, openFileDescriptors: 9, maxFileDescriptors: 1024, threads: 7))
    }
}
