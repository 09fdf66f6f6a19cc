import Testing
import VicidialExporter

/// Open intervals grow up to the scrape time; nothing a scrape reported ever goes down, also
/// when an event stamped before that scrape arrives after it.
struct ScrapeAccrualTests {
    static func stateSeconds(_ samples: [String]) -> [String] {
        samples.series("vicidial_agent_state_seconds_total", user: "6666")
    }

    static func seconds(pause: Double, wait: Double, talk: Double = 0, dead: Double = 0) -> [String] {
        [("pause", pause), ("wait", wait), ("talk", talk), ("dead", dead), ("dispo", 0)].map { state, value in
            let rendered = Int64(exactly: value).map(String.init) ?? "\(value)"
            return #"vicidial_agent_state_seconds_total{user="6666",state="\#(state)"} \#(rendered)"#
        }
    }

    @Test func openIntervalAccruesToScrapeTime() {
        let harness = ExporterHarness()
        harness.push("logged_in", counter: 0, at: 0)
        harness.push("state_ready", counter: 1, at: 10)
        let first = harness.samples(at: 25)
        #expect(Self.stateSeconds(first) == Self.seconds(pause: 10, wait: 15))
        #expect(first.contains(#"vicidial_agent_state{user="6666",state="wait"} 1"#))
        #expect(first.contains(#"vicidial_agent_state_start_timestamp_seconds{user="6666"} 1764000010"#))
        // Whole seconds only: a push stamped 40 may still come and must fit in after what is reported.
        let second = harness.samples(at: 40.5)
        #expect(Self.stateSeconds(second) == Self.seconds(pause: 10, wait: 30))
        // No event: the state and its start stay.
        #expect(second.contains(#"vicidial_agent_state_start_timestamp_seconds{user="6666"} 1764000010"#))
        #expect(second.contains(#"vicidial_agent_last_event_timestamp_seconds{user="6666"} 1764000010"#))
    }

    @Test func eventsAfterAScrapeNeverLowerACounter() {
        let harness = ExporterHarness()
        harness.push("logged_in", counter: 0, at: 0)
        harness.push("state_ready", counter: 1, at: 10)
        var scrapes = [harness.samples(at: 40)]
        #expect(Self.stateSeconds(scrapes[0]) == Self.seconds(pause: 10, wait: 30))

        // Stamped 30 but received after the scrape at 40: talk starts at 40, wait keeps its 30.
        #expect(harness.push("call_answered", counter: 2, at: 41, epoch: 30).text == "accepted\n")
        scrapes.append(harness.samples(at: 50))
        #expect(Self.stateSeconds(scrapes[1]) == Self.seconds(pause: 10, wait: 30, talk: 10))

        // Counter 3 is missing: call_dead waits, and no time is accounted while the gap is open.
        #expect(harness.push("call_dead", counter: 4, at: 52).text == "accepted, applied within 1s: waiting for this page's first counters (a new or reloaded agent screen's first pushes often overtake each other)\n")
        scrapes.append(harness.samples(at: 52.5))
        #expect(Self.stateSeconds(scrapes[2]) == Self.seconds(pause: 10, wait: 30, talk: 10))

        // The reorder window is over: call_dead is applied and counter 3 given up.
        scrapes.append(harness.samples(at: 53))
        #expect(Self.stateSeconds(scrapes[3]) == Self.seconds(pause: 10, wait: 30, talk: 12, dead: 1))

        // Counter 3 after all: counted, the state stays dead.
        let late = harness.push("agent_hangup", counter: 3, at: 54, epoch: 51)
        #expect(late.status == 200)
        #expect(late.text == "accepted late: counted, agent state unchanged\n")
        scrapes.append(harness.samples(at: 60))
        #expect(Self.stateSeconds(scrapes[4]) == Self.seconds(pause: 10, wait: 30, talk: 12, dead: 8))
        #expect(scrapes[4].contains(#"vicidial_agent_talk_seconds_total{user="6666"} 20"#))
        #expect(scrapes[4].contains(#"vicidial_agent_events_total{user="6666",event="agent_hangup"} 1"#))
        #expect(scrapes[4].contains(#"vicidial_agent_state{user="6666",state="dead"} 1"#))
        #expect(scrapes[4].contains("vicidial_exporter_events_late_total 1"))
        #expect(scrapes[4].contains("vicidial_exporter_events_reordered_total 1"))

        for (earlier, later) in zip(scrapes, scrapes.dropFirst()) {
            let before = Self.counterValues(earlier)
            let after = Self.counterValues(later)
            for (series, value) in before {
                #expect(after[series].map { $0 >= value } == true, "\(series) went from \(value) to \(String(describing: after[series]))")
            }
        }
    }

    /// Counter-like sample values (`_total`, histogram `_bucket`, `_count`, `_sum`) by series.
    static func counterValues(_ samples: [String]) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in samples {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = String(line[..<space])
            let name = series.prefix { $0 != "{" }
            guard ["_total", "_bucket", "_count", "_sum"].contains(where: name.hasSuffix) else { continue }
            values[series] = Double(line[line.index(after: space)...])
        }
        return values
    }
}
