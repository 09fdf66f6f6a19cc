/// Parses Prometheus-style durations: `1s`, `500ms`, `1h30m`, `7d`, `0s` (also `0`).
public enum DurationFlag {
    /// The longest duration Prometheus accepts (the most nanoseconds an Int64 holds, about 292 years);
    /// longer ones are refused as out of range, as Prometheus does, rather than becoming
    /// `+infinity` or a value that traps when converted to an integer.
    static let maxSeconds = Double(Int64.max) / 1e9

    /// Seconds, or nil when the text is not a duration or is longer than `maxSeconds`.
    public static func seconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800), ("y", 31_536_000)]
        var rest = Substring(text)
        var total = 0.0
        var sawPart = false
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // Longest unit first, so "ms" is not read as "m" then "s".
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) && !($0.0 == "m" && rest.hasPrefix("ms")) })
            else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * factor
            sawPart = true
        }
        return sawPart && total <= maxSeconds ? total : nil
    }
}
