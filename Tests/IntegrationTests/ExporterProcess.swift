import Foundation
import Testing

/// The release binary, started on 127.0.0.1 with a kernel-chosen port and stopped with SIGTERM.
final class ExporterProcess {
    let port: UInt16
    private let process: Process
    private let logFile: URL

    /// The binary `bash .ci/test` builds (`swift build -c release`), or `$VICIDIAL_EXPORTER_BIN`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["VICIDIAL_EXPORTER_BIN"] { return URL(fileURLWithPath: path) }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/release/vicidial-exporter")
    }

    init(arguments: [String] = []) throws {
        let binary = Self.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw SetupError("no exporter binary at \(binary.path): run `swift build -c release` first (bash .ci/test does)")
        }
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("vicidial-exporter-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw SetupError("cannot create \(logFile.path)")
        }
        process = Process()
        process.executableURL = binary
        process.arguments = ["--web.listen-address", "127.0.0.1:0"] + arguments
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        port = try Self.waitForListeningPort(in: logFile, process: process)
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits (at most 10 s) for the exit status.
    func terminate() throws -> Int32 {
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else { throw SetupError("exporter did not exit within 10 s of SIGTERM") }
        return process.terminationStatus
    }

    /// The exporter logs `msg=listening ... port=N` once it accepts connections.
    private static func waitForListeningPort(in logFile: URL, process: Process) throws -> UInt16 {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains("msg=listening") }),
                let field = line.split(separator: " ").first(where: { $0.hasPrefix("port=") }),
                let port = UInt16(field.dropFirst("port=".count))
            {
                return port
            }
            guard process.isRunning else { throw SetupError("exporter exited at start-up: \(log)") }
            usleep(20_000)
        }
        throw SetupError("exporter did not log its port within 20 s")
    }
}

struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command with `input` on stdin; returns exit status and combined output.
func run(_ command: [String], input: [UInt8]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    let stdin = Pipe()
    let output = Pipe()
    process.standardInput = stdin
    process.standardOutput = output
    process.standardError = output
    do {
        try process.run()
    } catch {
        throw SetupError("cannot run \(command[0]): \(error); install it (bash .ci/test does)")
    }
    stdin.fileHandleForWriting.write(Data(input))
    try stdin.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}
