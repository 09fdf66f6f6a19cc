/// An ordered label set, written as given: `["agent": "1001", "campaign": "SALES"]`.
///
/// Names must be valid Prometheus label names (they come from code); values are any
/// UTF-8 and are escaped on output. `[:]` is the empty set, written without braces.
public struct Labels: ExpressibleByDictionaryLiteral, Sendable {
    public var pairs: [(String, String)]

    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        pairs = elements
    }
}
