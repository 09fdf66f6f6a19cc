import Testing
import VicidialExporter

/// One whole agent session pushed through `handle`, then the exact series /metrics shows for it.
///
/// Timeline (seconds after `start`, each received at its epoch): logged_in 0 (counter 2, held
/// until counters 0 and 1 are given up), state_ready 10, call_answered 25, call_dead 85,
/// agent_hangup 90, dispo_screen_open 91, dispo_set SALE 100, state_ready 130, logged_out NORMAL 160.
/// So pause 0-10 and 100-130 (40), wait 10-25 and 130-160 (45), talk 25-85 (60), dead 85-90 (5),
/// dispo 90-100 (10); the call lasted 65.
struct AgentSessionMetricsTests {
    static let textContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Runs the session; returns the /event response bodies in order.
    static func runSession(_ harness: ExporterHarness) -> [String] {
        [
            harness.push("logged_in", counter: 2, at: 0),
            harness.push("state_ready", counter: 3, at: 10),
            harness.push("call_answered", counter: 4, at: 25),
            harness.push("call_dead", counter: 5, at: 85),
            harness.push("agent_hangup", counter: 6, at: 90),
            harness.push("dispo_screen_open", counter: 7, at: 91),
            harness.push("dispo_set", "SALE", counter: 8, at: 100),
            harness.push("state_ready", counter: 9, at: 130),
            harness.push("logged_out", "NORMAL", counter: 10, at: 160),
        ].map(\.text)
    }

    @Test func responses() {
        let bodies = Self.runSession(ExporterHarness())
        #expect(bodies == ["accepted, applied within 1s: waiting for this page's first counters (a new or reloaded agent screen's first pushes often overtake each other)\n"] + Array(repeating: "accepted\n", count: 8))
    }

    @Test func perAgentSeries() {
        let harness = ExporterHarness()
        _ = Self.runSession(harness)
        let response = harness.scrape(at: 200)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == Self.textContentType)
        let samples = response.text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(samples.filter { $0.contains(#"user="6666""#) } == [
            #"vicidial_agent_events_total{user="6666",event="logged_in"} 1"#,
            #"vicidial_agent_events_total{user="6666",event="logged_out"} 1"#,
            #"vicidial_agent_events_total{user="6666",event="state_ready"} 2"#,
            #"vicidial_agent_events_total{user="6666",event="call_answered"} 1"#,
            #"vicidial_agent_events_total{user="6666",event="call_dead"} 1"#,
            #"vicidial_agent_events_total{user="6666",event="agent_hangup"} 1"#,
            #"vicidial_agent_events_total{user="6666",event="dispo_screen_open"} 1"#,
            #"vicidial_agent_events_total{user="6666",event="dispo_set"} 1"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="pause"} 40"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="wait"} 45"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="talk"} 60"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="dead"} 5"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="dispo"} 10"#,
            #"vicidial_agent_talk_seconds_total{user="6666"} 65"#,
            #"vicidial_agent_calls_total{user="6666"} 1"#,
            #"vicidial_agent_dispositions_total{user="6666",status="SALE"} 1"#,
            #"vicidial_agent_logins_total{user="6666"} 1"#,
            #"vicidial_agent_logouts_total{user="6666",reason="NORMAL"} 1"#,
            #"vicidial_agent_state{user="6666",state="pause"} 0"#,
            #"vicidial_agent_state{user="6666",state="wait"} 0"#,
            #"vicidial_agent_state{user="6666",state="talk"} 0"#,
            #"vicidial_agent_state{user="6666",state="dead"} 0"#,
            #"vicidial_agent_state{user="6666",state="dispo"} 0"#,
            #"vicidial_agent_last_event_timestamp_seconds{user="6666"} 1764000160"#,
        ])
    }

    @Test func histograms() {
        let harness = ExporterHarness()
        _ = Self.runSession(harness)
        let samples = harness.samples(at: 200)
        #expect(samples.filter { $0.hasPrefix("vicidial_agent_") && $0.contains("_duration_seconds") } == [
            #"vicidial_agent_call_duration_seconds_bucket{le="5.0"} 0"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="10.0"} 0"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="20.0"} 0"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="30.0"} 0"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="60.0"} 0"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="120.0"} 1"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="180.0"} 1"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="300.0"} 1"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="600.0"} 1"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="900.0"} 1"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="1800.0"} 1"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="3600.0"} 1"#,
            #"vicidial_agent_call_duration_seconds_bucket{le="+Inf"} 1"#,
            "vicidial_agent_call_duration_seconds_count 1",
            "vicidial_agent_call_duration_seconds_sum 65",
            #"vicidial_agent_pause_duration_seconds_bucket{le="5.0"} 0"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="15.0"} 1"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="30.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="60.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="120.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="300.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="600.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="900.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="1800.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="3600.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="7200.0"} 2"#,
            #"vicidial_agent_pause_duration_seconds_bucket{le="+Inf"} 2"#,
            "vicidial_agent_pause_duration_seconds_count 2",
            "vicidial_agent_pause_duration_seconds_sum 40",
            #"vicidial_agent_dispo_duration_seconds_bucket{le="1.0"} 0"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="2.0"} 0"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="5.0"} 0"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="10.0"} 1"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="15.0"} 1"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="30.0"} 1"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="60.0"} 1"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="120.0"} 1"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="300.0"} 1"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="600.0"} 1"#,
            #"vicidial_agent_dispo_duration_seconds_bucket{le="+Inf"} 1"#,
            "vicidial_agent_dispo_duration_seconds_count 1",
            "vicidial_agent_dispo_duration_seconds_sum 10",
        ])
    }

    /// The exporter's own series after the session, on the first scrape and on the next one
    /// (which also reports the first scrape: its request, duration and size).
    @Test func selfAndProcessMetrics() {
        let harness = ExporterHarness()
        _ = Self.runSession(harness)
        let first = harness.scrape(at: 200)
        let zeroRejections = RejectionTests.rejectedLines(counting: nil)
        let common = [
            #"vicidial_exporter_build_info{version="\#(BuildInfo.version)",revision="\#(BuildInfo.revision)",branch="\#(BuildInfo.branch)",swift_version="\#(BuildInfo.swiftVersion)"} 1"#,
            "vicidial_exporter_events_received_total 9",
            "vicidial_exporter_events_accepted_total 9",
        ] + zeroRejections + [
            "vicidial_exporter_events_duplicate_total 0",
            "vicidial_exporter_events_reordered_total 1",
            "vicidial_exporter_events_late_total 0",
            "vicidial_exporter_sessions_closed_out_total 0",
            "vicidial_exporter_agents_expired_total 0",
            #"vicidial_exporter_label_overflow_total{label="event"} 0"#,
            #"vicidial_exporter_label_overflow_total{label="status"} 0"#,
            #"vicidial_exporter_label_overflow_total{label="pause_code"} 0"#,
            "vicidial_exporter_agents_tracked 1",
            #"vicidial_exporter_http_requests_total{route="/event",code="200"} 9"#,
        ]
        let process = [
            "process_cpu_seconds_total 1.25",
            "process_resident_memory_bytes 8388608",
            "process_virtual_memory_bytes 268435456",
            "process_start_time_seconds 1763999000",
            "process_open_fds 12",
            "process_max_fds 1024",
            "process_threads 4",
        ]
        // The harness calls the handler directly: no connection went through an HTTP server.
        let connections = ["vicidial_exporter_http_connections 0"]
            + ["displaced", "idle_timeout", "limit", "peer_closed", "per_address_limit", "read_timeout"].map {
                #"vicidial_exporter_http_connections_closed_total{reason="\#($0)"} 0"#
            }
        // No web config: nothing refused, and no reload series.
        let web = ["busy", "missing", "wrong", "client_certificate"].map {
            #"vicidial_exporter_web_auth_failures_total{reason="\#($0)"} 0"#
        }
        #expect(Self.exporterAndProcessLines(first.text) == common + connections + web + process)

        let second = harness.scrape()
        #expect(Self.exporterAndProcessLines(second.text) == common + [
            #"vicidial_exporter_http_requests_total{route="/metrics",code="200"} 1"#,
        ] + connections + [
            "vicidial_exporter_last_scrape_duration_seconds 0",
            "vicidial_exporter_last_scrape_size_bytes \(first.sentBody.count)",
        ] + web + process)
    }

    static func exporterAndProcessLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("vicidial_exporter_") || $0.hasPrefix("process_") }
    }

    @Test func openMetricsWhenAsked() {
        let harness = ExporterHarness()
        _ = Self.runSession(harness)
        let response = harness.scrape(
            at: 200, accept: "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(response.text.hasSuffix("\n# EOF\n"))
        let lines = response.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("# TYPE vicidial_agent_state_seconds counter"))
        #expect(lines.contains(#"vicidial_agent_state_seconds_total{user="6666",state="wait"} 45"#))
        #expect(lines.contains("# TYPE vicidial_exporter_build info"))
        #expect(lines.filter { $0 == "# EOF" }.count == 1)
    }

    @Test(arguments: [nil, "", "text/plain", "*/*", "application/openmetrics-text;q=0", "application/json"])
    func textFormatOtherwise(accept: String?) {
        let response = ExporterHarness().scrape(accept: accept)
        #expect(response.header("Content-Type") == Self.textContentType)
        #expect(!response.text.contains("# EOF"))
    }
}
