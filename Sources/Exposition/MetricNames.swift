/// Name rules of both formats, for assertions on the names code passes in.
enum MetricNames {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isValidMetricName(_ name: String) -> Bool {
        isValid(name) { $0 == UInt8(ascii: ":") }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`; `le` is reserved for histogram buckets.
    static func isValidLabelName(_ name: String) -> Bool {
        name != "le" && isValid(name) { _ in false }
    }

    private static func isValid(_ name: String, alsoAllowed: (UInt8) -> Bool) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                true
            default:
                alsoAllowed(byte)
            }
        }
    }
}
