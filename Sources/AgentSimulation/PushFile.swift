#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The simulator's pushes as a file a load generator replays: one request per line, in
/// delivery order, with each CR LF written as the four characters `\r\n` (a request's body has
/// no line break of its own: every transport encodes or replaces whitespace).
public enum PushFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// One line per delivery.
    public static func lines(_ deliveries: [Delivery], transport: PushTransport, host: String, path: String) -> [String] {
        deliveries.map { transport.request($0.push, host: host, path: path).replacingCRLF() }
    }

    public static func write(
        _ deliveries: [Delivery], transport: PushTransport, host: String, path: String, to file: String
    ) throws(WriteError) {
        guard let stream = fopen(file, "w") else { throw WriteError(description: "cannot create \(file): errno \(errno)") }
        defer { fclose(stream) }
        for line in lines(deliveries, transport: transport, host: host, path: path) {
            guard fputs(line + "\n", stream) >= 0 else { throw WriteError(description: "cannot write \(file): errno \(errno)") }
        }
    }
}

extension String {
    /// CR LF is one Character in Swift, so a split on it finds every line break of the request.
    fileprivate func replacingCRLF() -> String {
        split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\\r\\n")
    }
}
