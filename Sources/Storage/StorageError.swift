#if canImport(Glibc)
import Glibc
#endif

/// A failed file operation: what was done to which file, and the system's reason. Its
/// description is the one-line reason `/event` answers with while storage is failing.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, _ path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}

/// Storage that cannot be used at all: refused at start, the exporter exits naming the reason.
public struct StorageRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
