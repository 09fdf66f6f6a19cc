/// Why a web configuration is refused: one line, naming the key and, where the YAML has one,
/// the line it is on.
public struct WebConfigError: Error, Equatable, CustomStringConvertible {
    /// 1-based line in the file, when the problem has a place.
    public let line: Int?
    public let message: String

    public init(line: Int? = nil, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}
