import Testing

@testable import VicidialExporter

/// The file `backfill` writes, to the byte: each family's metadata once, then every sample of
/// each series in time order with its timestamp in seconds, then `# EOF`.
@Suite struct BackfillSeriesTests {
    static func add(_ text: String, step: UInt32, to series: inout BackfillSeries) {
        Array(text.utf8).withUnsafeBytes { series.add(exposition: $0, step: step) }
    }

    static func written(_ series: BackfillSeries, first: Int64, step: Int64, chunkBytes: Int = 1 << 20) -> (String, chunks: Int) {
        var bytes: [UInt8] = []
        var chunks = 0
        series.write(firstMilliseconds: first, stepMilliseconds: step, chunkBytes: chunkBytes) {
            bytes += $0
            chunks += 1
        }
        return (String(decoding: bytes, as: UTF8.self), chunks)
    }

    @Test func familiesOnceSeriesGroupedSamplesInOrder() {
        var series = BackfillSeries()
        // Three scrapes' worth: a series that goes (an expired agent) and comes back, a value
        // that repeats, a family that never has a series, label values with spaces and escapes.
        Self.add(
            """
            # TYPE a counter
            # HELP a Help of a.
            a_total{user="x y"} 1
            a_total{user="q\\"z"} 5
            # TYPE empty gauge
            # HELP empty No series.
            # TYPE h histogram
            h_bucket{le="1.0"} 0
            h_bucket{le="+Inf"} 0
            h_count 0
            h_sum 0
            # EOF

            """, step: 0, to: &series)
        Self.add(
            """
            # TYPE a counter
            # HELP a Help of a.
            a_total{user="x y"} 1
            # TYPE empty gauge
            # HELP empty No series.
            # TYPE h histogram
            h_bucket{le="1.0"} 1
            h_bucket{le="+Inf"} 1
            h_count 1
            h_sum 0.25
            # EOF

            """, step: 1, to: &series)
        Self.add(
            """
            # TYPE a counter
            # HELP a Help of a.
            a_total{user="x y"} 1.5
            a_total{user="q\\"z"} 6
            """, step: 3, to: &series)
        #expect(series.seriesCount == 6)
        #expect(series.sampleCount == 13)
        let (text, chunks) = Self.written(series, first: 1_764_000_000_000, step: 15_500)
        #expect(chunks == 1)
        #expect(text == """
            # TYPE a counter
            # HELP a Help of a.
            a_total{user="x y"} 1 1764000000
            a_total{user="x y"} 1 1764000015.5
            a_total{user="x y"} 1.5 1764000046.5
            a_total{user="q\\"z"} 5 1764000000
            a_total{user="q\\"z"} 6 1764000046.5
            # TYPE h histogram
            h_bucket{le="1.0"} 0 1764000000
            h_bucket{le="1.0"} 1 1764000015.5
            h_bucket{le="+Inf"} 0 1764000000
            h_bucket{le="+Inf"} 1 1764000015.5
            h_count 0 1764000000
            h_count 1 1764000015.5
            h_sum 0 1764000000
            h_sum 0.25 1764000015.5
            # EOF

            """)
    }

    @Test func writtenInChunksOfAboutTheSizeAsked() {
        var series = BackfillSeries()
        for step in 0..<100 { Self.add("# TYPE g gauge\ng{user=\"u\"} \(step % 3)\n", step: UInt32(step), to: &series) }
        let (whole, _) = Self.written(series, first: 0, step: 1000)
        let (chunked, chunks) = Self.written(series, first: 0, step: 1000, chunkBytes: 200)
        #expect(chunked == whole)
        #expect(chunks == whole.utf8.count / 200 + 1)
        #expect(whole.hasPrefix("# TYPE g gauge\ng{user=\"u\"} 0 0\ng{user=\"u\"} 1 1\ng{user=\"u\"} 2 2\ng{user=\"u\"} 0 3\n"))
    }

    /// `--label`: the pairs given come first in every series, escaped.
    @Test func labelsGivenComeFirstInEverySeries() {
        var series = BackfillSeries()
        Self.add("# TYPE a counter\na_total{user=\"x\"} 1\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 0\nh_count 0\n", step: 0, to: &series)
        var bytes: [UInt8] = []
        series.write(firstMilliseconds: 60_000, stepMilliseconds: 1000, labels: [("job", "vicidial"), ("instance", "a\"b")]) {
            bytes += $0
        }
        #expect(String(decoding: bytes, as: UTF8.self) == """
            # TYPE a counter
            a_total{job="vicidial",instance="a\\"b",user="x"} 1 60
            # TYPE h histogram
            h_bucket{job="vicidial",instance="a\\"b",le="+Inf"} 0 60
            h_count{job="vicidial",instance="a\\"b"} 0 60
            # EOF

            """)
    }

    @Test(arguments: [
        (Int64(0), "0"), (1_764_000_000_000, "1764000000"), (1_764_000_000_500, "1764000000.5"),
        (1_764_000_000_050, "1764000000.05"), (1_764_000_000_005, "1764000000.005"), (1_764_000_000_123, "1764000000.123"),
        (-1_500, "-1.5"),
    ])
    func timestampsInSeconds(milliseconds: Int64, text: String) {
        var bytes: [UInt8] = []
        BackfillSeries.appendSeconds(milliseconds: milliseconds, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
}
