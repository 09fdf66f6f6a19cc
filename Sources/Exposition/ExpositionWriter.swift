/// Writes a Prometheus text 0.0.4 or OpenMetrics 1.0 exposition into a byte buffer.
///
/// Why hand-written rather than swift-prometheus: the exporter does not increment
/// instruments as events arrive. At scrape time it takes a snapshot of its per-agent
/// ledger and derives every value from it (counters are sums of durations, gauges are
/// current states, series appear and disappear with agents). A registry of long-lived,
/// incremented instruments fits that badly: it would have to be rebuilt or mirrored on
/// every scrape. What the exporter needs is only the serialisation, and that is small: this
/// writer appends UTF-8 bytes to raw memory (`OutputBuffer`, reused across scrapes), with
/// no per-sample String building, a fast path for label values that need no escaping, and
/// series whose labels were rendered ahead of time (a user's label, escaped once). Its output is
/// checked in the tests against implementations it shares no code with: `promtool check
/// metrics` (Prometheus' Go text parser and linter), promtool's OpenMetrics backfill (the
/// Go parser Prometheus scrapes OpenMetrics with), and Python `prometheus_client`'s
/// parsers for both formats.
///
/// Usage: call ``family(_:type:help:)`` and then that type's sample method once per
/// series, for each family in turn (families and their series must not interleave), then
/// ``finish()``. Rules it follows:
/// - Names and types: a counter family `x` is `x_total` throughout in the text format
///   (`# TYPE x_total counter`), and `# TYPE x counter` with `x_total` samples in
///   OpenMetrics. An info family `x` is a gauge `x_info` in the text format (which has no
///   info type) and `# TYPE x info` in OpenMetrics; its value is always 1.
/// - Metadata: HELP then TYPE in the text format, TYPE then HELP in OpenMetrics (the
///   order its spec recommends). An empty help writes no HELP line (OpenMetrics treats an
///   empty one as absent anyway). A family without samples still gets its metadata
///   lines; both formats allow that.
/// - Escaping: label values escape `\`, `"` and newline; HELP escapes `\` and newline,
///   and `"` too in OpenMetrics only. Every other byte, including non-ASCII, is written as is.
/// - Numbers: counts and integral values within Int64 as plain integers (`12`,
///   `18446744073709551615`), other values in Swift's shortest round-tripping form
///   (`1.5`, `1e-09`, `1e+21`), and `NaN`, `+Inf`, `-Inf`. Histogram `le` values use the
///   OpenMetrics canonical form (`0.5`, `1.0`, `1e+06`, `+Inf`) in both formats, so a
///   series keeps the same labels whichever format is scraped (Prometheus 3 also
///   normalises `le` that way).
/// - Histograms: buckets, then `_count`, then `_sum`. OpenMetrics forbids `_sum` when a
///   bucket bound is negative, so bounds must be non-negative.
/// - OpenMetrics output ends with `# EOF`.
///
/// Counter and bucket values must be non-negative and not NaN; OpenMetrics parsers reject
/// the whole exposition otherwise. The writer does not check values (they are data);
/// names, types and bounds come from code and are checked with `assert`.
public struct ExpositionWriter: ~Copyable {
    public let format: ExpositionFormat
    private var output: OutputBuffer
    private var name: [UInt8] = []
    private var type: MetricType?
    private var bucketBounds = BucketBoundLabels()
    /// `name_total{label="` (or `name{label="`) for the current family's series with prepared
    /// labels, built on the family's first such series: one copy per line instead of five.
    private var seriesHead: [UInt8] = []
    private var seriesHeadLabel: StaticString?

    public init(format: ExpositionFormat, reservingCapacity: Int = 16_384) {
        self.init(format: format, into: OutputBuffer(capacity: reservingCapacity))
    }

    /// A writer that appends to `buffer` (emptied first), for a buffer reused across scrapes.
    public init(format: ExpositionFormat, into buffer: consuming OutputBuffer) {
        self.format = format
        buffer.removeAll()
        output = buffer
    }

    /// Continues family `name`, whose metadata lines another writer wrote: this writer's
    /// samples follow that writer's in the page (a family rendered in parts on several threads).
    public mutating func continueFamily(_ name: String, type: MetricType) {
        self.name = Array(name.utf8)
        self.type = type
        seriesHeadLabel = nil
    }

    /// Starts a family. `name` is the family name without `_total` for counters and
    /// without `_info` for info.
    public mutating func family(_ name: String, type: MetricType, help: String) {
        assert(MetricNames.isValidMetricName(name), "invalid metric name \(name)")
        assert(!(type == .counter && name.hasSuffix("_total")), "counter family \(name) must not end in _total")
        assert(!(type == .info && name.hasSuffix("_info")), "info family \(name) must not end in _info")
        self.name = Array(name.utf8)
        self.type = type
        seriesHeadLabel = nil
        switch format {
        case .prometheusText:
            if !help.isEmpty {
                output.append(ascii: "# HELP ")
                appendTextFamilyName()
                output.append(UInt8(ascii: " "))
                output.append(escaping: help, escapingQuotes: false)
                output.append(UInt8(ascii: "\n"))
            }
            output.append(ascii: "# TYPE ")
            appendTextFamilyName()
            switch type {
            case .counter: output.append(ascii: " counter\n")
            case .gauge, .info: output.append(ascii: " gauge\n")
            case .histogram: output.append(ascii: " histogram\n")
            }
        case .openMetrics:
            output.append(ascii: "# TYPE ")
            output.append(contentsOf: self.name)
            switch type {
            case .counter: output.append(ascii: " counter\n")
            case .gauge: output.append(ascii: " gauge\n")
            case .histogram: output.append(ascii: " histogram\n")
            case .info: output.append(ascii: " info\n")
            }
            if !help.isEmpty {
                output.append(ascii: "# HELP ")
                output.append(contentsOf: self.name)
                output.append(UInt8(ascii: " "))
                output.append(escaping: help, escapingQuotes: true)
                output.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// Writes `name_total{labels} value` for the current counter family.
    public mutating func counter(_ labels: Labels, _ value: Double) {
        assert(type == .counter, "counter sample outside a counter family")
        appendSeries(suffix: "_total", labels)
        output.append(sampleValue: value)
        output.append(UInt8(ascii: "\n"))
    }

    /// Writes `name{labels} value` for the current gauge family.
    public mutating func gauge(_ labels: Labels, _ value: Double) {
        assert(type == .gauge, "gauge sample outside a gauge family")
        appendSeries(suffix: "", labels)
        output.append(sampleValue: value)
        output.append(UInt8(ascii: "\n"))
    }

    /// Writes `name_info{labels} 1` for the current info family.
    public mutating func info(_ labels: Labels) {
        assert(type == .info, "info sample outside an info family")
        appendSeries(suffix: "_info", labels)
        output.append(ascii: "1\n")
    }

    /// Writes one histogram series: a `_bucket` per upper bound plus `le="+Inf"` (= `count`),
    /// then `_count` and `_sum`. `upperBounds` are finite, non-negative and ascending;
    /// `cumulativeCounts[i]` is the number of observations ≤ `upperBounds[i]`.
    public mutating func histogram(
        _ labels: Labels, upperBounds: [Double], cumulativeCounts: [UInt64], count: UInt64, sum: Double
    ) {
        assert(type == .histogram, "histogram sample outside a histogram family")
        assert(upperBounds.count == cumulativeCounts.count, "one cumulative count per upper bound")
        assert(zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 }, "bounds must ascend")
        assert(upperBounds.allSatisfy { $0.isFinite && $0 >= 0 }, "bounds must be finite and non-negative")
        bucketBounds.update(upperBounds)
        for (bound, cumulativeCount) in zip(bucketBounds.labels, cumulativeCounts) {
            appendSeries(suffix: "_bucket", labels, le: bound)
            output.appendDecimal(cumulativeCount)
            output.append(UInt8(ascii: "\n"))
        }
        appendSeries(suffix: "_bucket", labels, le: BucketBoundLabels.infinity)
        output.appendDecimal(count)
        output.append(UInt8(ascii: "\n"))
        appendSeries(suffix: "_count", labels)
        output.appendDecimal(count)
        output.append(UInt8(ascii: "\n"))
        appendSeries(suffix: "_sum", labels)
        output.append(sampleValue: sum)
        output.append(UInt8(ascii: "\n"))
    }

    // MARK: - Families written apart

    /// Takes the writer's buffer (for reuse), leaving it empty.
    public mutating func takeBuffer() -> OutputBuffer {
        var taken = OutputBuffer(capacity: 0)
        swap(&taken, &output)
        return taken
    }

    // MARK: - Series with labels rendered ahead of time (per-agent families at scrape speed)

    /// Writes `name_total{label="escapedValue"} count` for the current counter family;
    /// `escapedValue` is already escaped (`LabelValueEscaping`), `more` is empty or pairs
    /// rendered by `renderedPair(_:_:)`.
    public mutating func counter(_ label: StaticString, escapedValue: [UInt8], more: [UInt8] = [], count: UInt64) {
        assert(type == .counter, "counter sample outside a counter family")
        appendPreparedSeries(suffix: "_total", label, escapedValue, more)
        output.appendDecimal(count)
        output.append(UInt8(ascii: "\n"))
    }

    /// `counter(_:escapedValue:more:count:)` for a value that may have a fraction.
    public mutating func counter(_ label: StaticString, escapedValue: [UInt8], more: [UInt8] = [], _ value: Double) {
        assert(type == .counter, "counter sample outside a counter family")
        appendPreparedSeries(suffix: "_total", label, escapedValue, more)
        output.append(sampleValue: value)
        output.append(UInt8(ascii: "\n"))
    }

    /// `counter(_:escapedValue:more:count:)` with one more label whose value is escaped here.
    public mutating func counter(
        _ label: StaticString, escapedValue: [UInt8], _ secondLabel: StaticString, _ secondValue: String, count: UInt64
    ) {
        assert(type == .counter, "counter sample outside a counter family")
        output.append(contentsOf: name)
        output.append(ascii: "_total{")
        appendPreparedPair(label, escapedValue)
        output.append(UInt8(ascii: ","))
        output.append(ascii: secondLabel)
        output.append(ascii: "=\"")
        output.append(escaping: secondValue, escapingQuotes: true)
        output.append(ascii: "\"} ")
        output.appendDecimal(count)
        output.append(UInt8(ascii: "\n"))
    }

    /// Writes `name{label="escapedValue"} value` for the current gauge family (see `counter`).
    public mutating func gauge(_ label: StaticString, escapedValue: [UInt8], more: [UInt8] = [], _ value: Double) {
        assert(type == .gauge, "gauge sample outside a gauge family")
        appendPreparedSeries(suffix: "", label, escapedValue, more)
        output.append(sampleValue: value)
        output.append(UInt8(ascii: "\n"))
    }

    /// `,name="value"`, escaped: a label pair to pass as `more`, rendered once and reused.
    public static func renderedPair(_ name: String, _ value: String) -> [UInt8] {
        assert(MetricNames.isValidLabelName(name), "invalid label name \(name)")
        var bytes: [UInt8] = [UInt8(ascii: ",")]
        bytes.append(utf8: name)
        bytes.append(ascii: "=\"")
        bytes.append(escaping: value, escapingQuotes: true)
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }

    private mutating func appendPreparedSeries(suffix: StaticString, _ label: StaticString, _ escapedValue: [UInt8], _ more: [UInt8]) {
        // Every prepared series of a family has the same suffix (its type's) and, in practice,
        // the same first label; the head is rebuilt only when the label changes.
        if seriesHeadLabel?.utf8Start != label.utf8Start {
            seriesHead = name
            seriesHead.append(ascii: suffix)
            seriesHead.append(UInt8(ascii: "{"))
            seriesHead.append(ascii: label)
            seriesHead.append(ascii: "=\"")
            seriesHeadLabel = label
        }
        output.append(contentsOf: seriesHead)
        output.append(contentsOf: escapedValue)
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: more)
        output.append(UInt8(ascii: "}"))
        output.append(UInt8(ascii: " "))
    }

    private mutating func appendPreparedPair(_ label: StaticString, _ escapedValue: [UInt8]) {
        output.append(ascii: label)
        output.append(ascii: "=\"")
        output.append(contentsOf: escapedValue)
        output.append(UInt8(ascii: "\""))
    }

    /// The finished exposition; OpenMetrics gets its terminating `# EOF` line.
    public consuming func finish() -> [UInt8] {
        finishBuffer().bytes()
    }

    /// `finish()`, left in the writer's buffer.
    public consuming func finishBuffer() -> OutputBuffer {
        if format == .openMetrics { output.append(ascii: "# EOF\n") }
        return output
    }

    /// The family name as the text format declares it: counters and info carry their suffix.
    private mutating func appendTextFamilyName() {
        output.append(contentsOf: name)
        switch type {
        case .counter: output.append(ascii: "_total")
        case .info: output.append(ascii: "_info")
        case .gauge, .histogram, nil: break
        }
    }

    /// Writes `name` `suffix` `{labels,le="…"}` and the space before the value.
    private mutating func appendSeries(suffix: StaticString, _ labels: Labels, le: [UInt8]? = nil) {
        output.append(contentsOf: name)
        output.append(ascii: suffix)
        if !labels.pairs.isEmpty || le != nil {
            output.append(UInt8(ascii: "{"))
            for (index, (labelName, value)) in labels.pairs.enumerated() {
                assert(MetricNames.isValidLabelName(labelName), "invalid label name \(labelName)")
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(utf8: labelName)
                output.append(ascii: "=\"")
                output.append(escaping: value, escapingQuotes: true)
                output.append(UInt8(ascii: "\""))
            }
            if let le {
                output.append(ascii: labels.pairs.isEmpty ? "le=\"" : ",le=\"")
                output.append(contentsOf: le)
                output.append(UInt8(ascii: "\""))
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: " "))
    }
}
