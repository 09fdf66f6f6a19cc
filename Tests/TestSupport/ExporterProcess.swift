import Foundation

/// The release exporter on 127.0.0.1 with a kernel-chosen port, read back from its log.
///
/// Its storage is a fresh temporary directory (removed with the object) unless `storage` names
/// one, so a test can restart an exporter on the storage of the one before.
public final class ExporterProcess {
    public let port: UInt16
    public let storage: StorageDirectoryForTests
    private let process: ManagedProcess

    /// Returns once the exporter has logged `ready` (its journal replayed). `launcher`, when
    /// given, is a command that runs the exporter's path and arguments (a sandbox) and becomes it.
    public init(arguments: [String] = [], storage: StorageDirectoryForTests = StorageDirectoryForTests(), launcher: [String] = []) throws {
        self.storage = storage
        let storageArguments = arguments.contains("--storage.path") ? [] : ["--storage.path", storage.path]
        let listenArguments = arguments.contains("--web.listen-address") ? [] : ["--web.listen-address", "127.0.0.1:0"]
        let command = launcher + [releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN").path]
        process = try ManagedProcess(
            name: "vicidial-exporter", executable: URL(fileURLWithPath: command[0]),
            arguments: command.dropFirst() + listenArguments + storageArguments + arguments)
        port = try process.waitForLog(seconds: 20, Self.listeningPort)
        try process.waitForLog(seconds: 60) { $0.contains("msg=ready") ? true : nil }
    }

    public var log: String { process.log }

    public var processIdentifier: Int32 { process.processIdentifier }

    public func terminate() throws -> Int32 { try process.terminate() }

    /// SIGTERM without waiting, then `waitUntilExit`.
    public func signalTerminate() { process.signalTerminate() }

    public func waitUntilExit(seconds: Double) throws -> Int32 { try process.waitUntilExit(seconds: seconds) }

    /// SIGKILL: no shutdown, no final snapshot.
    public func killHard() throws { try process.killHard() }

    /// The exporter logs `msg=listening ... port=N` once it accepts connections.
    public static func listeningPort(in log: String) -> UInt16? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("msg=listening") }),
            let field = line.split(separator: " ").first(where: { $0.hasPrefix("port=") })
        else { return nil }
        return UInt16(field.dropFirst("port=".count))
    }
}

/// A temporary storage directory, removed when the last exporter using it goes.
public final class StorageDirectoryForTests: Sendable {
    public let path: String

    public init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vicidial-exporter-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
