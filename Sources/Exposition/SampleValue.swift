extension ByteSink where Self: ~Copyable {
    /// Appends a sample value: integral values within Int64 as plain integers (`12`, never
    /// `12.0` or `1.2e+01`), other finite values as Swift's shortest round-tripping form
    /// (`1.5`, `1e-09`, `1e+21`), and `NaN`, `+Inf`, `-Inf`. Both formats and every parser
    /// accept these.
    mutating func append(sampleValue value: Double) {
        if let integer = Int64(exactly: value) {
            appendDecimal(integer)
        } else if value.isNaN {
            append(ascii: "NaN")
        } else if value.isInfinite {
            append(ascii: value < 0 ? "-Inf" : "+Inf")
        } else {
            append(utf8: value.description)
        }
    }
}
