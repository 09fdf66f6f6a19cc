/// Prometheus-style durations: `1s`, `500ms`, `1h30m`, `7d`, `0s` (also `0`).
public enum DurationFlag {
    /// The longest duration Prometheus accepts (the most nanoseconds an Int64 holds, about 292 years);
    /// longer ones are refused as out of range, as Prometheus does, rather than becoming
    /// `+infinity` or a value that traps when converted to an integer.
    static let maxSeconds = Double(Int64.max) / 1e9

    /// Seconds, or nil when the text is not a duration or is longer than `maxSeconds`.
    public static func seconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        // Largest unit first: each may appear once, in this order, as in Prometheus (`1h30m`, not `30m1h`).
        let units: [(String, Double)] = [("y", 31_536_000), ("w", 604_800), ("d", 86_400), ("h", 3600), ("ms", 0.001), ("m", 60), ("s", 1)]
        let order = ["y", "w", "d", "h", "m", "s", "ms"]
        var rest = Substring(text)
        var total = 0.0
        var sawPart = false
        var lastUnit = -1
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // "ms" is tried before "m", so 500ms is not read as 500 minutes and a stray "s".
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }),
                let position = order.firstIndex(of: unit), position > lastUnit
            else { return nil }
            lastUnit = position
            rest = rest.dropFirst(unit.count)
            total += value * factor
            sawPart = true
        }
        return sawPart && total <= maxSeconds ? total : nil
    }

    /// `seconds` as Prometheus writes a duration: each unit from years down to milliseconds
    /// that is not zero (`1w`, `12h`, `1m30s`, `200ms`), `0s` for nothing; rounded to the millisecond.
    public static func text(_ seconds: Double) -> String {
        var milliseconds = Int64((seconds * 1000).rounded())
        guard milliseconds > 0 else { return "0s" }
        let units: [(String, Int64)] = [("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        var text = ""
        for (unit, size) in units where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }
}
