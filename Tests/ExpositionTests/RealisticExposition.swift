import Exposition

/// A realistic exposition (every metric type, hostile label values and help texts, an
/// empty family, edge-case numbers) and the families a parser must read back from it.
enum RealisticExposition {
    struct HistogramSeries: Sendable {
        var labels: Labels
        var cumulativeCounts: [UInt64]
        var count: UInt64
        var sum: Double
    }

    enum Family: Sendable {
        case counter(String, help: String, [(Labels, Double)])
        case gauge(String, help: String, [(Labels, Double)])
        case info(String, help: String, [Labels])
        /// Bounds with the `le` value a parser must read.
        case histogram(String, help: String, bounds: [(Double, String)], [HistogramSeries])
    }

    static let hostileValues = [
        "say \"hi\"", "back\\slash", "two\nlines", "literal \\n", "ends with \\", "\\\"\n",
        "Zoë 日本語 🎧", "--A--", "a}b=c,d{", "", "tab\tcr\r", "nul\u{0}byte",
    ]

    static let families: [Family] = [
        .counter(
            "vicidial_agent_state_seconds",
            help: "Seconds agents spent in each state. Help with \"quotes\", back\\slash,\nnewline and ünïcode.",
            hostileValues.enumerated().map { index, value in
                (["agent": "100\(index)", "campaign": value, "state": "READY"], Double(index) * 1.5)
            }
        ),
        .counter("vicidial_agent_calls", help: "Calls handled.", [([:], 0), (["agent": "--A--"], 123_456_789_012)]),
        .gauge(
            "vicidial_edge_values",
            help: "Edge-case numbers.",
            [
                (["case": "zero"], 0), (["case": "fraction"], 1.5), (["case": "tiny"], 1e-9),
                (["case": "huge"], 1e21), (["case": "negative"], -2), (["case": "third"], 1.0 / 3.0),
                (["case": "plus_inf"], .infinity), (["case": "minus_inf"], -.infinity), (["case": "nan"], .nan),
            ]
        ),
        .gauge("vicidial_agents_paused", help: "Agents paused (no samples in this exposition).", []),
        .info(
            "vicidial_agent",
            help: "Agent identity.",
            [["agent": "1001", "full_name": "Zoë \"Z\" O'Brien\\"], ["agent": "1002", "full_name": "line\nbreak"]]
        ),
        .info("vicidial_exporter_build", help: "Build of this exporter.", [["version": "1.0.0"]]),
        .histogram(
            "vicidial_call_duration_seconds",
            help: "Call durations.",
            bounds: [(0.005, "0.005"), (0.5, "0.5"), (1, "1.0"), (30, "30.0"), (100_000, "100000.0"), (1e6, "1e+06")],
            [
                HistogramSeries(labels: ["campaign": "SALES"], cumulativeCounts: [0, 1, 2, 10, 11, 11], count: 12, sum: 2_000_321.75),
                HistogramSeries(labels: ["campaign": "say \"hi\"\\\n"], cumulativeCounts: [0, 0, 0, 0, 0, 0], count: 0, sum: 0),
            ]
        ),
        .histogram(
            "vicidial_event_processing_seconds",
            help: "Event handling time.",
            bounds: [(1e-5, "1e-05"), (0.0001, "0.0001"), (0.25, "0.25")],
            [HistogramSeries(labels: [:], cumulativeCounts: [3, 7, 7], count: 8, sum: 1.25e-3)]
        ),
    ]

    static func write(into writer: inout ExpositionWriter) {
        for family in families {
            switch family {
            case let .counter(name, help, samples):
                writer.family(name, type: .counter, help: help)
                for (labels, value) in samples { writer.counter(labels, value) }
            case let .gauge(name, help, samples):
                writer.family(name, type: .gauge, help: help)
                for (labels, value) in samples { writer.gauge(labels, value) }
            case let .info(name, help, labelSets):
                writer.family(name, type: .info, help: help)
                for labels in labelSets { writer.info(labels) }
            case let .histogram(name, help, bounds, series):
                writer.family(name, type: .histogram, help: help)
                for one in series {
                    writer.histogram(
                        one.labels, upperBounds: bounds.map(\.0), cumulativeCounts: one.cumulativeCounts,
                        count: one.count, sum: one.sum)
                }
            }
        }
    }

    /// The families as prometheus_client's parser for `format` reports them.
    static func expected(_ format: ExpositionFormat) -> [ParsedFamily] {
        families.map { family in
            switch family {
            case let .counter(name, help, samples):
                return ParsedFamily(name: name, type: "counter", help: help, samples: samples.map { labels, value in
                    ParsedSample(name + "_total", labels, value)
                })
            case let .gauge(name, help, samples):
                return ParsedFamily(name: name, type: "gauge", help: help, samples: samples.map { labels, value in
                    ParsedSample(name, labels, value)
                })
            case let .info(name, help, labelSets):
                // The text format has no info type: it is a gauge named name_info.
                let samples = labelSets.map { ParsedSample(name + "_info", $0, 1) }
                return format == .openMetrics
                    ? ParsedFamily(name: name, type: "info", help: help, samples: samples)
                    : ParsedFamily(name: name + "_info", type: "gauge", help: help, samples: samples)
            case let .histogram(name, help, bounds, series):
                let samples = series.flatMap { one in
                    zip(bounds, one.cumulativeCounts).map { bound, count in
                        ParsedSample(name + "_bucket", one.labels, Double(count), le: bound.1)
                    } + [
                        ParsedSample(name + "_bucket", one.labels, Double(one.count), le: "+Inf"),
                        ParsedSample(name + "_count", one.labels, Double(one.count)),
                        ParsedSample(name + "_sum", one.labels, one.sum),
                    ]
                }
                return ParsedFamily(name: name, type: "histogram", help: help, samples: samples)
            }
        }
    }
}

struct ParsedFamily: Decodable, Equatable {
    var name: String
    var type: String
    var help: String
    var samples: [ParsedSample]
}

struct ParsedSample: Decodable, Equatable {
    var name: String
    var labels: [String: String]
    /// Swift's description of the value, so that NaN compares equal to NaN.
    var value: String

    init(_ name: String, _ labels: Labels, _ value: Double, le: String? = nil) {
        self.name = name
        self.labels = Dictionary(uniqueKeysWithValues: labels.pairs)
        if let le { self.labels["le"] = le }
        self.value = value.description
    }

    private enum CodingKeys: String, CodingKey { case name, labels, value }

    /// Python sends `repr(float(value))`: "12.0", "1e-09", "inf", "nan".
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        labels = try container.decode([String: String].self, forKey: .labels)
        let raw = try container.decode(String.self, forKey: .value)
        guard let value = Double(raw) else {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a number: \(raw)")
        }
        self.value = value.description
    }
}
