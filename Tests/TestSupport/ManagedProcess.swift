import Foundation

/// A child process for tests: stderr goes to a temporary log file, stdout to another, and it is stopped
/// (SIGTERM, then SIGKILL) when the object goes away, so no test leaves a process behind.
public final class ManagedProcess {
    public let name: String
    private let process = Process()
    private let logFile: URL
    private let outputFile: URL

    public init(name: String, executable: URL, arguments: [String], environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw SetupError("\(name): no executable at \(executable.path) (bash .ci/test builds and installs everything)")
        }
        self.name = name
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        logFile = stem.appendingPathExtension("log")
        outputFile = stem.appendingPathExtension("out")
        for file in [logFile, outputFile] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw SetupError("cannot create \(file.path)")
        }
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            if !waitForExit(seconds: 5) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(at: outputFile)
    }

    /// What the process wrote to stderr so far.
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
    /// What the process wrote to stdout so far.
    public var output: Data { (try? Data(contentsOf: outputFile)) ?? Data() }
    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Polls the log until `matches` finds what it wants, failing after `seconds` or if the process dies.
    @discardableResult
    public func waitForLog<T>(seconds: Double, _ matches: (String) -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = log
            if let found = matches(text) { return found }
            guard process.isRunning else { throw SetupError("\(name) exited: \(text.suffix(2000))") }
            usleep(20_000)
        }
        throw SetupError("\(name): nothing expected in its log after \(seconds) s: \(log.suffix(2000))")
    }

    /// Waits for the process to end on its own; returns its exit status.
    public func waitUntilExit(seconds: Double) throws -> Int32 {
        guard waitForExit(seconds: seconds) else { throw SetupError("\(name) still running after \(seconds) s") }
        return process.terminationStatus
    }

    /// SIGKILL, as a crash or the OOM killer would end it: no shutdown code runs. Waits for the exit.
    public func killHard() throws {
        kill(process.processIdentifier, SIGKILL)
        _ = try waitUntilExit(seconds: 10)
    }

    /// Sends SIGTERM without waiting.
    public func signalTerminate() { process.terminate() }

    /// Sends SIGTERM and waits (at most 10 s) for the exit status.
    public func terminate() throws -> Int32 {
        process.terminate()
        return try waitUntilExit(seconds: 10)
    }

    private func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }
}

public struct SetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The package's root directory, for tests that read its files or start its binaries.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A built product: `$ENVIRONMENT_NAME` when set, else `.build/release/NAME` (what `bash .ci/test` builds).
public func releaseBinary(_ name: String, environment: String) -> URL {
    if let path = ProcessInfo.processInfo.environment[environment] { return URL(fileURLWithPath: path) }
    return packageRoot.appendingPathComponent(".build/release/\(name)")
}

/// A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot report a port 0 pick).
public func freeLoopbackPort() throws -> UInt16 {
    let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard probe >= 0 else { throw SetupError("socket: \(errno)") }
    defer { close(probe) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(probe, pointer, length) == 0 && getsockname(probe, pointer, &length) == 0
        }
    }
    guard bound else { throw SetupError("bind: \(errno)") }
    return UInt16(bigEndian: address.sin_port)
}
