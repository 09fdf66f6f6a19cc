#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one progress or log line to stderr (stdout carries only the JSON totals); safe from any thread.
func logLine(_ text: String) {
    let line = Array("vicidial-agent-sim: \(text)\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
