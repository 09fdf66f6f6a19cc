import Foundation
import TestSupport

/// Starts the release exporter on 127.0.0.1 with `flags`, expecting it to refuse to start;
/// returns its exit status and what it wrote to stderr.
func refusedStart(_ flags: [String]) throws -> (status: Int32, errors: String) {
    let process = Process()
    process.executableURL = releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN")
    process.arguments = ["--web.listen-address", "127.0.0.1:0"] + flags
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}
