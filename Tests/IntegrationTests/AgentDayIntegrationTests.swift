import AgentSimulation
import Foundation
import HTTPClient
import TestSupport
import Testing

/// The release binary on 127.0.0.1, a scripted agent day pushed over real HTTP through every
/// transport, and /metrics checked to the second and by promtool.
@Suite(.serialized) struct AgentDayIntegrationTests {
    /// Epochs lie in the past (a day already worked), so the skew bound is widened to trust them.
    static let arguments = ["--agent.max-clock-skew", "48h", "--agent.reorder-window", "1s"]

    @Test func scriptedDayThroughEveryTransportMatchesToTheSecond() throws {
        let exporter = try ExporterProcess(arguments: Self.arguments)
        let start = Int64(Date().timeIntervalSince1970) - 36_000
        for transport in PushTransport.allCases {
            let client = try RawHTTPClient(port: exporter.port)  // one keep-alive connection per agent screen
            for push in AgentDayScript.pushes(user: "agent_\(transport)", start: start) {
                try client.send(transport.request(push, host: "127.0.0.1", path: "/event"))
                let response = try client.readResponse()
                #expect(response.status == 200, "\(transport) \(push.event.rawValue): \(response.bodyText)")
                #expect(response.header("Connection")?.lowercased() != "close")
            }
        }
        // The get2post agent lost a counter to the `?` cut: its last pushes wait out the 1 s window.
        usleep(1_300_000)

        let metrics = try scrape(exporter.port)
        for transport in PushTransport.allCases {
            let user = "agent_\(transport)"
            for (state, seconds) in AgentDayScript.stateSeconds {
                #expect(metrics.contains("vicidial_agent_state_seconds_total{user=\"\(user)\",state=\"\(state)\"} \(seconds)\n"), "\(user) \(state)")
            }
            for line in [
                "vicidial_agent_talk_seconds_total{user=\"\(user)\"} 450",
                "vicidial_agent_calls_total{user=\"\(user)\"} 3",
                "vicidial_agent_dispositions_total{user=\"\(user)\",status=\"DNC\"} 1",
                "vicidial_agent_dispositions_total{user=\"\(user)\",status=\"NI\"} 1",
                "vicidial_agent_dispositions_total{user=\"\(user)\",status=\"SALE\"} 1",
                "vicidial_agent_logins_total{user=\"\(user)\"} 1",
                "vicidial_agent_logouts_total{user=\"\(user)\",reason=\"NORMAL\"} 1",
                "vicidial_agent_events_total{user=\"\(user)\",event=\"agent_alert\"} 3",
                "vicidial_agent_events_total{user=\"\(user)\",event=\"state_ready\"} 4",
                "vicidial_agent_events_total{user=\"\(user)\",event=\"dispo_screen_open\"} 3",
                "vicidial_agent_state{user=\"\(user)\",state=\"pause\"} 0",
                "vicidial_agent_last_event_timestamp_seconds{user=\"\(user)\"} \(start + 1000)",
            ] {
                #expect(metrics.contains(line + "\n"), "missing: \(line)")
            }
            #expect(!metrics.contains("vicidial_agent_state_start_timestamp_seconds{user=\"\(user)\"}"), "logged out: no state start")
        }
        for line in [
            "vicidial_agent_call_duration_seconds_count 12",
            "vicidial_agent_call_duration_seconds_sum 1800",
            "vicidial_agent_dispo_duration_seconds_count 12",
            "vicidial_agent_dispo_duration_seconds_sum 120",
            "vicidial_agent_pause_duration_seconds_count 20",
            "vicidial_agent_pause_duration_seconds_sum 880",
            "vicidial_exporter_events_received_total 104",
            "vicidial_exporter_events_accepted_total 104",
            "vicidial_exporter_events_duplicate_total 0",
            "vicidial_exporter_events_late_total 0",
            "vicidial_exporter_events_reordered_total 6",
            "vicidial_exporter_agents_tracked 4",
            "vicidial_exporter_http_requests_total{route=\"/event\",code=\"200\"} 104",
        ] {
            #expect(metrics.contains(line + "\n"), "missing: \(line)")
        }

        let promtool = try ExternalTool.run(
            ExternalTool.find("promtool", install: "apt-get install prometheus"), ["check", "metrics"], input: Array(metrics.utf8))
        #expect(promtool.status == 0)
        #expect(promtool.combined == "", "promtool check metrics: \(promtool.combined)")
        #expect(try exporter.terminate() == 0)
        #expect(exporter.log.contains("msg=\"shutting down\" signal=SIGTERM"))
    }

    @Test func badRequestsGetAClear4xxAndAreCounted() throws {
        let exporter = try ExporterProcess(arguments: Self.arguments)
        let client = try RawHTTPClient(port: exporter.port)
        let cases: [(request: String, status: Int, body: String)] = [
            ("GET /event?event=state_ready HTTP/1.1\r\nHost: x\r\n\r\n", 400,
             "missing or empty field 'user': the Agent Push URL must contain user=--A--user--B--\n"),
            ("GET /event?user=--A--user--B--&event=--A--event--B-- HTTP/1.1\r\nHost: x\r\n\r\n", 400,
             "field 'user' holds the literal placeholder --A--user--B--: VICIdial did not substitute it; "
                + "check the Agent Push URL in System Settings (placeholders are --A--name--B--)\n"),
            ("POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: 4\r\n\r\n<a/>", 415,
             "unsupported Content-Type 'application/xml': send application/x-www-form-urlencoded "
                + "(as the agent screen and get2post.php do), application/json, or a GET query string\n"),
            ("PUT /event HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405, "method PUT not allowed here; use GET, POST\n"),
            ("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n", 404,
             "not found: /metrics has the metrics, /event takes agent events\n"),
        ]
        for (request, status, body) in cases {
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.status == status)
            #expect(response.bodyText == body)
        }
        // An oversized body is refused from its Content-Length, without reading it.
        let large = try RawHTTPClient(port: exporter.port)
        try large.send("POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{")
        let refused = try large.readResponse()
        #expect(refused.status == 413)
        #expect(refused.bodyText == "request body larger than 65536 bytes: an agent event is a few hundred bytes; check what is posting here\n")

        let metrics = try scrape(exporter.port)
        for line in [
            "vicidial_exporter_events_rejected_total{reason=\"missing_user\"} 1",
            "vicidial_exporter_events_rejected_total{reason=\"unreplaced_placeholder\"} 1",
            "vicidial_exporter_events_rejected_total{reason=\"unsupported_content_type\"} 1",
            "vicidial_exporter_events_rejected_total{reason=\"body_too_large\"} 1",
            "vicidial_exporter_events_rejected_total{reason=\"invalid_event\"} 0",
            "vicidial_exporter_events_received_total 4",
            "vicidial_exporter_http_requests_total{route=\"/event\",code=\"405\"} 1",
            "vicidial_exporter_http_requests_total{route=\"other\",code=\"404\"} 1",
            "vicidial_exporter_agents_tracked 0",
        ] {
            #expect(metrics.contains(line + "\n"), "missing: \(line)")
        }
    }

    @Test func openMetricsScrapeParsesWithPrometheusClient() throws {
        let exporter = try ExporterProcess(arguments: Self.arguments)
        let start = Int64(Date().timeIntervalSince1970) - 3_600
        let client = try RawHTTPClient(port: exporter.port)
        let user = "om \"quoted\" \\ agent"
        let pushes = AgentDayScript.pushes(user: user, start: start).prefix(11)
            + [SimulatedPush(user: user, event: .loggedOut, message: "NORMAL", counter: 11, epoch: start + 150, agentLogID: 881, time: 150)]
        for push in pushes {
            try client.send(PushTransport.json.request(push, host: "127.0.0.1", path: "/event"))
            #expect(try client.readResponse().status == 200)
        }
        try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(response.bodyText.hasSuffix("# EOF\n"))
        let parse = """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            families = {f.name: f for f in text_string_to_metric_families(sys.stdin.read())}
            samples = families["vicidial_agent_state_seconds"].samples
            print(sorted((s.labels["state"], s.value) for s in samples if s.labels["user"] == 'om "quoted" \\\\ agent'))
            """
        let parsed = try ExternalTool.run(
            ExternalTool.find("python3", install: "python3 with pip install prometheus_client"), ["-c", parse], input: response.body)
        #expect(parsed.status == 0, "\(parsed.combined)")
        #expect(parsed.output == "[('dead', 30), ('dispo', 10), ('pause', 38), ('talk', 60), ('wait', 10)]\n")
    }

    private func scrape(_ port: UInt16) throws -> String {
        let client = try RawHTTPClient(port: port)
        try client.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        return response.bodyText
    }
}
