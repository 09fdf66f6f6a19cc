/// Request header fields in arrival order, looked up case-insensitively.
public struct HTTPHeaders: Sendable {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of the field `name` (any letter case), nil when absent.
    public subscript(name: String) -> String? {
        values(for: name).first
    }

    /// Every value of the field `name` (any letter case), in arrival order.
    public func values(for name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}
