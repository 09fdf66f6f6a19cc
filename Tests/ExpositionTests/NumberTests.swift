@testable import Exposition
import Testing

@Suite struct NumberTests {
    /// (value, as written) for sample values, the same in both formats.
    static let sampleValues: [(Double, String)] = [
        (0, "0"), (-0.0, "0"), (1, "1"), (-2, "-2"), (1.5, "1.5"), (0.1, "0.1"), (1e-9, "1e-09"),
        (1.0 / 3.0, "0.3333333333333333"), (1e21, "1e+21"), (123_456_789_012, "123456789012"),
        (1e18, "1000000000000000000"),
        (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
    ]

    @Test(arguments: sampleValues, [ExpositionFormat.prometheusText, .openMetrics])
    func sampleValue(_ value: (Double, String), format: ExpositionFormat) {
        let text = render(format) { writer in
            writer.family("vicidial_x", type: .gauge, help: "X.")
            writer.gauge([:], value.0)
        }
        #expect(text.split(separator: "\n")[2] == "vicidial_x \(value.1)")
    }

    @Test func largeIntegerCounts() {
        let text = render(.prometheusText) { writer in
            writer.family("vicidial_x_seconds", type: .histogram, help: "X.")
            writer.histogram(
                [:], upperBounds: [1], cumulativeCounts: [9_007_199_254_740_993], count: .max, sum: 2)
        }
        #expect(text.contains("vicidial_x_seconds_bucket{le=\"1.0\"} 9007199254740993\n"))
        #expect(text.contains("vicidial_x_seconds_count 18446744073709551615\n"))
    }

    /// The OpenMetrics spec's own examples of canonical `le` values, and Go's %g switch points.
    static let canonical: [(Double, String)] = [
        (0, "0.0"), (0.001, "0.001"), (0.002, "0.002"), (0.01, "0.01"), (0.1, "0.1"), (0.9, "0.9"),
        (0.95, "0.95"), (0.99, "0.99"), (0.999, "0.999"), (1, "1.0"), (1.7, "1.7"), (10, "10.0"),
        (1e-10, "1e-10"), (1e-9, "1e-09"), (1e-5, "1e-05"), (0.0001, "0.0001"), (100_000, "100000.0"),
        (1e6, "1e+06"), (1e10, "1e+10"), (0.005, "0.005"), (2.5, "2.5"), (3600, "3600.0"),
        (123_456.7, "123456.7"), (1_234_567, "1.234567e+06"), (1.5e-7, "1.5e-07"), (1e100, "1e+100"),
        (.infinity, "+Inf"),
    ]

    @Test(arguments: canonical)
    func canonicalFloat(_ value: (Double, String)) {
        #expect(CanonicalFloat.render(value.0) == value.1)
    }
}
