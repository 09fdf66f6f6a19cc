#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
import Logging

/// The two log line formats Prometheus exporters use (`--log.format`).
public enum LogFormat: String, CaseIterable, Sendable {
    case logfmt, json
}

/// A swift-log handler writing one line per message, in logfmt or JSON, like the Go exporters:
/// `ts=2026-11-26T07:55:00.123Z level=info msg="listening" address=:9xxx`.
public struct StructuredLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let format: LogFormat
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(
        label: String, format: LogFormat, level: Logger.Level,
        write: @escaping @Sendable (String) -> Void = StructuredLogHandler.writeToStandardError
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("level", Self.levelName(event.level)), ("msg", "\(event.message)"),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { fields.append((key, "\(value)")) }
        write(Self.line(fields, format: format))
    }

    /// One write(2) per line, so lines from several threads never interleave.
    @Sendable public static func writeToStandardError(_ line: String) {
        var line = line
        line.withUTF8 { bytes in _ = systemWrite(2, bytes.baseAddress, bytes.count) }
    }

    static func line(_ fields: [(String, String)], format: LogFormat) -> String {
        switch format {
        case .logfmt:
            return fields.map { key, value in "\(key)=\(logfmtValue(value))" }.joined(separator: " ") + "\n"
        case .json:
            return "{" + fields.map { key, value in "\(jsonString(key)):\(jsonString(value))" }.joined(separator: ",") + "}\n"
        }
    }

    /// Go's logfmt levels: debug, info, warn, error.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }

    private static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.value < 0x20 }
        return needsQuotes ? jsonString(value) : value
    }

    private static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let millis = Int(spec.tv_nsec / 1_000_000)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) + ".\(fraction)Z"
    }
}
