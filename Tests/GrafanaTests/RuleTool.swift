import Foundation
import Testing

/// Runs promtool and amtool for the rule tests.
enum RuleTool {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
        var combined: String { output + errors }
    }

    static let promtoolInstall = "install prometheus (apt-get install prometheus, which provides promtool)"
    static let amtoolInstall = "install prometheus-alertmanager (apt-get install prometheus-alertmanager, which provides amtool)"

    /// The executable named `name` on PATH, or nil after recording an issue (a failure, never a
    /// skip) saying what to install.
    static func find(_ name: String, install: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        Issue.record("\(name) is not on PATH: \(install)")
        return nil
    }

    /// Runs `executable` to completion in `directory`, without standard input.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL = RuleFiles.directory) throws -> Result {
        // Output goes to files, not pipes, so a chatty tool cannot block on a full pipe.
        let outputFile = temporaryFile("stdout")
        let errorFile = temporaryFile("stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: try String(contentsOf: outputFile, encoding: .utf8),
            errors: try String(contentsOf: errorFile, encoding: .utf8)
        )
    }

    static func temporaryFile(_ purpose: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rule-tests-\(purpose)-\(UUID().uuidString)")
    }
}
