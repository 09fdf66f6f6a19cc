import Testing
import VicidialExporter

/// The metric contract (README.md, "Metrics"): family names, types and label names are fixed, since
/// dashboards, alerts and external checks rely on them.
struct MetricContractTests {
    struct Family: Sendable, CustomTestStringConvertible {
        /// The family name as OpenMetrics declares it (counters without `_total`).
        let name: String
        let type: String
        /// Label names of each sample, by sample name.
        let samples: [String: [String]]
        var testDescription: String { name }

        /// The name the text format declares: counters with `_total`, info as a gauge `_info`.
        var textTypeLine: String {
            switch type {
            case "counter": "# TYPE \(name)_total counter"
            case "info": "# TYPE \(name)_info gauge"
            default: "# TYPE \(name) \(type)"
            }
        }

        static func counter(_ name: String, _ labels: [String]) -> Family {
            Family(name: name, type: "counter", samples: [name + "_total": labels])
        }

        static func gauge(_ name: String, _ labels: [String]) -> Family {
            Family(name: name, type: "gauge", samples: [name: labels])
        }

        static func histogram(_ name: String) -> Family {
            Family(
                name: name, type: "histogram",
                samples: [name + "_bucket": ["le"], name + "_count": [], name + "_sum": []])
        }
    }

    static let agentFamilies: [Family] = [
        .counter("vicidial_agent_events", ["user", "event"]),
        .counter("vicidial_agent_state_seconds", ["user", "state"]),
        .counter("vicidial_agent_talk_seconds", ["user"]),
        .counter("vicidial_agent_calls", ["user"]),
        .counter("vicidial_agent_dispositions", ["user", "status"]),
        .counter("vicidial_agent_logins", ["user"]),
        .counter("vicidial_agent_logouts", ["user", "reason"]),
        .gauge("vicidial_agent_state", ["user", "state"]),
        .gauge("vicidial_agent_state_start_timestamp_seconds", ["user"]),
        .gauge("vicidial_agent_last_event_timestamp_seconds", ["user"]),
        .histogram("vicidial_agent_call_duration_seconds"),
        .histogram("vicidial_agent_pause_duration_seconds"),
        .histogram("vicidial_agent_dispo_duration_seconds"),
    ]

    static let exporterFamilies: [Family] = [
        Family(name: "vicidial_exporter_build", type: "info", samples: ["vicidial_exporter_build_info": ["version", "revision", "branch", "swift_version"]]),
        .counter("vicidial_exporter_events_received", []),
        .counter("vicidial_exporter_events_accepted", []),
        .counter("vicidial_exporter_events_rejected", ["reason"]),
        .counter("vicidial_exporter_events_duplicate", []),
        .counter("vicidial_exporter_events_reordered", []),
        .counter("vicidial_exporter_events_late", []),
        .counter("vicidial_exporter_sessions_closed_out", []),
        .counter("vicidial_exporter_agents_expired", []),
        .counter("vicidial_exporter_label_overflow", ["label"]),
        .gauge("vicidial_exporter_agents_tracked", []),
        .counter("vicidial_exporter_http_requests", ["route", "code"]),
        .gauge("vicidial_exporter_http_connections", []),
        .counter("vicidial_exporter_http_connections_closed", ["reason"]),
        .gauge("vicidial_exporter_last_scrape_duration_seconds", []),
        .gauge("vicidial_exporter_last_scrape_size_bytes", []),
    ]

    /// Agent 1001 worked a call to a disposition and logged out; agent 1002 is logged in.
    /// Scraped twice, so the last-scrape gauges have a value.
    static func scrapeWithEveryFamily(accept: String? = nil) -> [String] {
        let harness = ExporterHarness()
        harness.push("logged_in", counter: 0, at: 0, user: "1001")
        harness.push("state_ready", counter: 1, at: 5, user: "1001")
        harness.push("call_answered", counter: 2, at: 10, user: "1001")
        harness.push("agent_hangup", counter: 3, at: 40, user: "1001")
        harness.push("dispo_set", "SALE", counter: 4, at: 45, user: "1001")
        harness.push("logged_out", "NORMAL", counter: 5, at: 50, user: "1001")
        harness.push("logged_in", counter: 0, at: 55, user: "1002")
        _ = harness.scrape(at: 60)
        return harness.scrape(at: 60, accept: accept).text.split(separator: "\n").map(String.init)
    }

    @Test(arguments: agentFamilies + exporterFamilies)
    func textFormat(_ family: Family) {
        let lines = Self.scrapeWithEveryFamily()
        #expect(lines.contains(family.textTypeLine))
        Self.checkSamples(of: family, in: lines)
    }

    @Test(arguments: agentFamilies + exporterFamilies)
    func openMetrics(_ family: Family) {
        let lines = Self.scrapeWithEveryFamily(accept: "application/openmetrics-text; version=1.0.0")
        #expect(lines.contains("# TYPE \(family.name) \(family.type)"))
        Self.checkSamples(of: family, in: lines)
    }

    /// Each sample name of the family is present, always with exactly the contract's label names.
    static func checkSamples(of family: Family, in lines: [String]) {
        for (sampleName, labelNames) in family.samples {
            let series = lines.filter { !$0.hasPrefix("#") }.series(sampleName)
            #expect(!series.isEmpty, "no \(sampleName) sample")
            for line in series {
                #expect(SampleLine(line)?.labels.map(\.name) == labelNames, "\(line)")
            }
        }
    }

    /// An agent's five state series exist from its first event, zeros included, even when that
    /// event implies no state; series that need a value (dispositions, logouts, state start) stay away.
    @Test func agentWithOnlyAnEventThatImpliesNoState() {
        let harness = ExporterHarness()
        harness.push("time_sync", counter: 0, at: 0, user: "7001")
        let samples = harness.samples(at: 100)
        #expect(samples.filter { $0.contains(#"user="7001""#) } == [
            #"vicidial_agent_events_total{user="7001",event="time_sync"} 1"#,
            #"vicidial_agent_state_seconds_total{user="7001",state="pause"} 0"#,
            #"vicidial_agent_state_seconds_total{user="7001",state="wait"} 0"#,
            #"vicidial_agent_state_seconds_total{user="7001",state="talk"} 0"#,
            #"vicidial_agent_state_seconds_total{user="7001",state="dead"} 0"#,
            #"vicidial_agent_state_seconds_total{user="7001",state="dispo"} 0"#,
            #"vicidial_agent_talk_seconds_total{user="7001"} 0"#,
            #"vicidial_agent_calls_total{user="7001"} 0"#,
            #"vicidial_agent_logins_total{user="7001"} 0"#,
            #"vicidial_agent_state{user="7001",state="pause"} 0"#,
            #"vicidial_agent_state{user="7001",state="wait"} 0"#,
            #"vicidial_agent_state{user="7001",state="talk"} 0"#,
            #"vicidial_agent_state{user="7001",state="dead"} 0"#,
            #"vicidial_agent_state{user="7001",state="dispo"} 0"#,
            #"vicidial_agent_last_event_timestamp_seconds{user="7001"} 1764000000"#,
        ])
    }

    /// Families come in the documented order, each declared once, in both formats.
    @Test(arguments: [nil, "application/openmetrics-text"])
    func eachFamilyDeclaredOnceInOrder(accept: String?) {
        let typeLines = Self.scrapeWithEveryFamily(accept: accept).filter { $0.hasPrefix("# TYPE ") }
        let expected = (Self.agentFamilies + Self.exporterFamilies).map { family in
            accept == nil ? family.textTypeLine : "# TYPE \(family.name) \(family.type)"
        }
        #expect(Array(typeLines.prefix(expected.count)) == expected)
        #expect(Set(typeLines).count == typeLines.count)
    }
}
