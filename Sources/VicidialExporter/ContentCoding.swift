/// The content codings `/metrics` can answer in, and the choice between them from a request's
/// `Accept-Encoding` (RFC 9110 §12.5.3).
public enum ContentCoding: Equatable, Sendable {
    case identity, gzip

    /// gzip when the client accepts it (q > 0) and weighs it no lower than identity, else
    /// identity. No header means identity; `*` stands for any coding the header does not name;
    /// `q=0` refuses a coding; an entry with a malformed q-value is ignored; identity named by
    /// neither itself nor `*` is acceptable but wanted least. When the client refuses both,
    /// identity is sent anyway, as RFC 9110 allows, rather than a 406 that Prometheus could
    /// do nothing with.
    public static func negotiate(acceptEncoding: String?) -> ContentCoding {
        guard let acceptEncoding else { return .identity }
        var gzip: Double?
        var identity: Double?
        var any: Double?
        for entry in acceptEncoding.split(separator: ",") {
            let parts = entry.split(separator: ";", omittingEmptySubsequences: false)
            let coding = parts[0].trimmingSpaces().lowercased()
            guard let weight = Self.weight(parts.dropFirst()) else { continue }
            switch coding {
            case "gzip", "x-gzip": gzip = max(gzip ?? 0, weight)
            case "identity": identity = max(identity ?? 0, weight)
            case "*": any = max(any ?? 0, weight)
            default: continue
            }
        }
        let gzipWeight = gzip ?? any ?? 0
        let identityWeight = identity ?? any ?? 0
        return gzipWeight > 0 && gzipWeight >= identityWeight ? .gzip : .identity
    }

    /// The `q` parameter (1 when absent), or nil when it is not a qvalue: 0 to 1, at most
    /// three decimals.
    private static func weight(_ parameters: ArraySlice<Substring>) -> Double? {
        var weight = 1.0
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "q" else { continue }
            let text = pair[1].trimmingSpaces()
            guard Self.isQValue(text), let value = Double(text) else { return nil }
            weight = value
        }
        return weight
    }

    /// `0`, `0.5`, `1`, `1.000`: RFC 9110's qvalue grammar, which `Double` alone would not
    /// enforce (`1e0`, `nan`, `0.5000`).
    private static func isQValue(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard let first = utf8.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return false }
        if utf8.count == 1 { return true }
        let fraction = utf8.dropFirst(2)
        guard utf8[1] == UInt8(ascii: "."), fraction.count <= 3 else { return false }
        let digit = first == UInt8(ascii: "0") ? UInt8(ascii: "0")...UInt8(ascii: "9") : UInt8(ascii: "0")...UInt8(ascii: "0")
        return fraction.allSatisfy(digit.contains)
    }
}

extension Substring {
    /// Without the spaces and tabs (RFC 9110's OWS) at either end.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
