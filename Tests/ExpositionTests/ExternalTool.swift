import Foundation
import Testing

/// Runs the independent implementations the writer is checked against.
enum ExternalTool {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    /// The executable named `name` on PATH, or nil after recording an issue saying what to install.
    static func find(_ name: String, install: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        Issue.record("\(name) is not on PATH; install it: \(install)")
        return nil
    }

    /// Runs `executable` to completion, with `input` (a file) as its standard input.
    static func run(_ executable: URL, _ arguments: [String], input: URL? = nil) throws -> Result {
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
        process.standardInput = try input.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
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
        FileManager.default.temporaryDirectory.appendingPathComponent("exposition-tests-\(purpose)-\(UUID().uuidString)")
    }
}
