import Exposition
import Testing

@Suite struct WriterGoldenTests {
    @Test func counterText() {
        let text = render(.prometheusText) { writer in
            writer.family("vicidial_agent_talk_seconds", type: .counter, help: "Seconds agents spent talking.")
            writer.counter(["agent": "1001", "campaign": "SALES"], 12)
            writer.counter([:], 1.5)
        }
        #expect(text == """
            # HELP vicidial_agent_talk_seconds_total Seconds agents spent talking.
            # TYPE vicidial_agent_talk_seconds_total counter
            vicidial_agent_talk_seconds_total{agent="1001",campaign="SALES"} 12
            vicidial_agent_talk_seconds_total 1.5

            """)
    }

    @Test func counterOpenMetrics() {
        let text = render(.openMetrics) { writer in
            writer.family("vicidial_agent_talk_seconds", type: .counter, help: "Seconds agents spent talking.")
            writer.counter(["agent": "1001", "campaign": "SALES"], 12)
            writer.counter([:], 1.5)
        }
        #expect(text == """
            # TYPE vicidial_agent_talk_seconds counter
            # HELP vicidial_agent_talk_seconds Seconds agents spent talking.
            vicidial_agent_talk_seconds_total{agent="1001",campaign="SALES"} 12
            vicidial_agent_talk_seconds_total 1.5
            # EOF

            """)
    }

    @Test func gaugeText() {
        let text = render(.prometheusText) { writer in
            writer.family("vicidial_agents_logged_in", type: .gauge, help: "Agents logged in.")
            writer.gauge(["campaign": "SALES"], 7)
            writer.gauge([:], 0.25)
        }
        #expect(text == """
            # HELP vicidial_agents_logged_in Agents logged in.
            # TYPE vicidial_agents_logged_in gauge
            vicidial_agents_logged_in{campaign="SALES"} 7
            vicidial_agents_logged_in 0.25

            """)
    }

    @Test func gaugeOpenMetrics() {
        let text = render(.openMetrics) { writer in
            writer.family("vicidial_agents_logged_in", type: .gauge, help: "Agents logged in.")
            writer.gauge(["campaign": "SALES"], 7)
            writer.gauge([:], 0.25)
        }
        #expect(text == """
            # TYPE vicidial_agents_logged_in gauge
            # HELP vicidial_agents_logged_in Agents logged in.
            vicidial_agents_logged_in{campaign="SALES"} 7
            vicidial_agents_logged_in 0.25
            # EOF

            """)
    }

    @Test func infoText() {
        let text = render(.prometheusText) { writer in
            writer.family("vicidial_exporter_build", type: .info, help: "Build of this exporter.")
            writer.info(["version": "1.2.3"])
            writer.info([:])
        }
        #expect(text == """
            # HELP vicidial_exporter_build_info Build of this exporter.
            # TYPE vicidial_exporter_build_info gauge
            vicidial_exporter_build_info{version="1.2.3"} 1
            vicidial_exporter_build_info 1

            """)
    }

    @Test func infoOpenMetrics() {
        let text = render(.openMetrics) { writer in
            writer.family("vicidial_exporter_build", type: .info, help: "Build of this exporter.")
            writer.info(["version": "1.2.3"])
        }
        #expect(text == """
            # TYPE vicidial_exporter_build info
            # HELP vicidial_exporter_build Build of this exporter.
            vicidial_exporter_build_info{version="1.2.3"} 1
            # EOF

            """)
    }

    @Test func histogramText() {
        let text = render(.prometheusText) { writer in
            writer.family("vicidial_call_seconds", type: .histogram, help: "Call durations.")
            writer.histogram(
                ["campaign": "SALES"], upperBounds: [0.5, 1, 60], cumulativeCounts: [1, 3, 3], count: 4, sum: 73.25)
            writer.histogram([:], upperBounds: [0.5, 1, 60], cumulativeCounts: [0, 0, 0], count: 0, sum: 0)
        }
        #expect(text == """
            # HELP vicidial_call_seconds Call durations.
            # TYPE vicidial_call_seconds histogram
            vicidial_call_seconds_bucket{campaign="SALES",le="0.5"} 1
            vicidial_call_seconds_bucket{campaign="SALES",le="1.0"} 3
            vicidial_call_seconds_bucket{campaign="SALES",le="60.0"} 3
            vicidial_call_seconds_bucket{campaign="SALES",le="+Inf"} 4
            vicidial_call_seconds_count{campaign="SALES"} 4
            vicidial_call_seconds_sum{campaign="SALES"} 73.25
            vicidial_call_seconds_bucket{le="0.5"} 0
            vicidial_call_seconds_bucket{le="1.0"} 0
            vicidial_call_seconds_bucket{le="60.0"} 0
            vicidial_call_seconds_bucket{le="+Inf"} 0
            vicidial_call_seconds_count 0
            vicidial_call_seconds_sum 0

            """)
    }

    @Test func histogramOpenMetrics() {
        let text = render(.openMetrics) { writer in
            writer.family("vicidial_call_seconds", type: .histogram, help: "Call durations.")
            writer.histogram(
                ["campaign": "SALES"], upperBounds: [0.005, 1e6], cumulativeCounts: [2, 5],
                count: 18_446_744_073_709_551_615, sum: 1e21)
        }
        #expect(text == """
            # TYPE vicidial_call_seconds histogram
            # HELP vicidial_call_seconds Call durations.
            vicidial_call_seconds_bucket{campaign="SALES",le="0.005"} 2
            vicidial_call_seconds_bucket{campaign="SALES",le="1e+06"} 5
            vicidial_call_seconds_bucket{campaign="SALES",le="+Inf"} 18446744073709551615
            vicidial_call_seconds_count{campaign="SALES"} 18446744073709551615
            vicidial_call_seconds_sum{campaign="SALES"} 1e+21
            # EOF

            """)
    }

    @Test func histogramWithoutBoundsHasOnlyTheInfBucket() {
        let text = render(.prometheusText) { writer in
            writer.family("vicidial_call_seconds", type: .histogram, help: "Call durations.")
            writer.histogram([:], upperBounds: [], cumulativeCounts: [], count: 2, sum: 3)
        }
        #expect(text == """
            # HELP vicidial_call_seconds Call durations.
            # TYPE vicidial_call_seconds histogram
            vicidial_call_seconds_bucket{le="+Inf"} 2
            vicidial_call_seconds_count 2
            vicidial_call_seconds_sum 3

            """)
    }

    @Test func familyWithoutSamplesKeepsItsMetadata() {
        let body: (inout ExpositionWriter) -> Void = { writer in
            writer.family("vicidial_agents_paused", type: .gauge, help: "Agents paused.")
            writer.family("vicidial_calls", type: .counter, help: "Calls.")
        }
        #expect(render(.prometheusText, body) == """
            # HELP vicidial_agents_paused Agents paused.
            # TYPE vicidial_agents_paused gauge
            # HELP vicidial_calls_total Calls.
            # TYPE vicidial_calls_total counter

            """)
        #expect(render(.openMetrics, body) == """
            # TYPE vicidial_agents_paused gauge
            # HELP vicidial_agents_paused Agents paused.
            # TYPE vicidial_calls counter
            # HELP vicidial_calls Calls.
            # EOF

            """)
    }

    @Test func emptyHelpWritesNoHelpLine() {
        let body: (inout ExpositionWriter) -> Void = { writer in
            writer.family("up_seconds", type: .gauge, help: "")
            writer.gauge([:], 1)
        }
        #expect(render(.prometheusText, body) == "# TYPE up_seconds gauge\nup_seconds 1\n")
        #expect(render(.openMetrics, body) == "# TYPE up_seconds gauge\nup_seconds 1\n# EOF\n")
    }

    @Test func emptyExposition() {
        #expect(render(.prometheusText) { _ in }.isEmpty)
        #expect(render(.openMetrics) { _ in } == "# EOF\n")
    }

    @Test func labelsKeepTheirOrderAndMayBeBuiltAtRunTime() {
        let pairs = [("zeta", "1"), ("alpha", "2")]
        let text = render(.prometheusText) { writer in
            writer.family("vicidial_x", type: .gauge, help: "X.")
            writer.gauge(Labels(pairs), 3)
        }
        #expect(text.hasSuffix("vicidial_x{zeta=\"1\",alpha=\"2\"} 3\n"))
    }
}
