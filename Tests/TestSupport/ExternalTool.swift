import Foundation

/// Runs the outside tools the tests check against (promtool, amtool, python3). A missing tool
/// throws, so the test fails saying what to install: it is never skipped.
public enum ExternalTool {
    public struct Result {
        public var status: Int32
        public var output: String
        public var errors: String
        public var combined: String { output + errors }
    }

    /// The executable named `name` on PATH.
    public static func find(_ name: String, install: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw SetupError("\(name) is not on PATH; install it: \(install) (bash .ci/test does)")
    }

    /// Runs `executable` to completion, in `directory` when given, with the file `input` (or
    /// nothing) as its standard input.
    public static func run(_ executable: URL, _ arguments: [String], input: URL? = nil, in directory: URL? = nil) throws -> Result {
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
        if let directory { process.currentDirectoryURL = directory }
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

    /// Runs `executable` with `input` bytes as its standard input.
    public static func run(_ executable: URL, _ arguments: [String], input: some Sequence<UInt8>) throws -> Result {
        let inputFile = temporaryFile("stdin")
        try Data(input).write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        return try run(executable, arguments, input: inputFile)
    }

    public static func temporaryFile(_ purpose: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vicidial-tests-\(purpose)-\(UUID().uuidString)")
    }
}
