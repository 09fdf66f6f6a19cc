import Foundation

/// The release exporter on 127.0.0.1 with a kernel-chosen port, read back from its log.
public final class ExporterProcess {
    public let port: UInt16
    private let process: ManagedProcess

    public init(arguments: [String] = []) throws {
        process = try ManagedProcess(
            name: "vicidial-exporter",
            executable: releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN"),
            arguments: ["--web.listen-address", "127.0.0.1:0"] + arguments)
        port = try process.waitForLog(seconds: 20, Self.listeningPort)
    }

    public var log: String { process.log }

    public func terminate() throws -> Int32 { try process.terminate() }

    /// The exporter logs `msg=listening ... port=N` once it accepts connections.
    static func listeningPort(in log: String) -> UInt16? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("msg=listening") }),
            let field = line.split(separator: " ").first(where: { $0.hasPrefix("port=") })
        else { return nil }
        return UInt16(field.dropFirst("port=".count))
    }
}
