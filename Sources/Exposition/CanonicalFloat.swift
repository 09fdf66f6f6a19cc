/// The OpenMetrics canonical rendering of a number used as a label value (`le`).
///
/// OpenMetrics 1.0 ("Considerations: Canonical Numbers"): Go's shortest `%g`
/// (`strconv.FormatFloat(v, 'g', -1, 64)`), with `.0` appended when that has neither
/// a decimal point nor an exponent, and `+Inf` for positive infinity. So 1 is `1.0`,
/// 100000 is `100000.0`, 1000000 is `1e+06` and 0.00001 is `1e-05`. The shortest
/// digits are Swift's (same round-trip-shortest digits as Go); only the layout is Go's.
enum CanonicalFloat {
    static func render(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let sign = value.sign == .minus ? "-" : ""
        let (digits, pointPosition) = shortestDigits(value.magnitude)
        guard !digits.isEmpty else { return sign + "0.0" }
        let exponent = pointPosition - 1
        // Go's %g switches to exponent form outside 1e-4 ..< 1e6 when asked for the shortest digits.
        if exponent < -4 || exponent >= 6 {
            let fraction = digits.dropFirst()
            let mantissa = String(digits.first!) + (fraction.isEmpty ? "" : "." + fraction)
            let exponentDigits = String(abs(exponent))
            return sign + mantissa + (exponent < 0 ? "e-" : "e+")
                + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if digits.count <= pointPosition {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let integerEnd = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<integerEnd] + "." + digits[integerEnd...]
    }

    /// The significant digits of a finite non-negative value and where the decimal point
    /// goes: value = 0.`digits` × 10^`pointPosition`. Empty digits for zero.
    private static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
        // Swift's description is "I.F" or "D[.F]e±X" with the shortest round-tripping digits.
        let description = value.description
        let parts = description.split(separator: "e")
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1])! : 0
        let integerLength = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count
        var digits = Substring(mantissa.filter { $0 != "." })
        var pointPosition = integerLength + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            pointPosition -= 1
        }
        while digits.last == "0" {
            digits = digits.dropLast()
        }
        return (String(digits), pointPosition)
    }
}
