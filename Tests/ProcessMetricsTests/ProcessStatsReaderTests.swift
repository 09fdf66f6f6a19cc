import Foundation
import ProcessMetrics
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ProcessStatsReaderTests {
    @Test func readsAFakeProcRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let fd = root.appendingPathComponent("self/fd")
        try FileManager.default.createDirectory(at: fd, withIntermediateDirectories: true)
        for name in ["0", "1", "2", "3", "10"] {
            try Data().write(to: fd.appendingPathComponent(name))
        }
        try ProcParsersTests.stat.write(to: root.appendingPathComponent("self/stat"), atomically: true, encoding: .utf8)
        try ProcParsersTests.limits.write(to: root.appendingPathComponent("self/limits"), atomically: true, encoding: .utf8)
        try "cpu 1 2 3\nbtime 1700000000\n".write(to: root.appendingPathComponent("stat"), atomically: true, encoding: .utf8)

        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        #expect(ProcessStatsReader.read(procRoot: root.path) == ProcessStats(
            cpuSecondsTotal: 325 / ticks, residentMemoryBytes: 2048 * pageSize, virtualMemoryBytes: 987_654_321,
            startTimeSeconds: 1_700_000_000 + 123_456 / ticks, openFileDescriptors: 5, maxFileDescriptors: 1024,
            threads: 7))
    }

    @Test func missingProcRootReadsNothing() {
        #expect(ProcessStatsReader.read(procRoot: "/nonexistent-proc-root") == nil)
    }

    #if os(Linux)
    @Test func readsThisProcess() throws {
        let stats = try #require(ProcessStatsReader.read())
        let now = Date().timeIntervalSince1970
        #expect(stats.openFileDescriptors >= 3)
        #expect(stats.maxFileDescriptors >= stats.openFileDescriptors)
        #expect(stats.residentMemoryBytes > 0)
        #expect(stats.virtualMemoryBytes >= stats.residentMemoryBytes)
        #expect(stats.cpuSecondsTotal >= 0)
        #expect(stats.startTimeSeconds > 1_000_000_000)
        #expect(stats.startTimeSeconds <= now)
        #expect(try #require(stats.threads) >= 1)
    }
    #endif
}
