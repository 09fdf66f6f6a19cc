import HTTPServer
import Testing
import VicidialExporter

/// What /event answers for each way an event can arrive, and how it is counted.
struct IngestResponseTests {
    static let epoch = ExporterHarness.start

    @Test func getQuery() {
        let harness = ExporterHarness()
        let response = harness.get(
            "/event", query: "user=6666&event=logged_in&message=&lead_id=&counter=0&epoch=\(Self.epoch)&agent_log_id=")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.text == "accepted\n")
        #expect(harness.samples().series("vicidial_agent_logins_total") == [#"vicidial_agent_logins_total{user="6666"} 1"#])
    }

    @Test func agentScreenFormPost() {
        let harness = ExporterHarness()
        let response = harness.post(
            "user=6666&event=dispo_set&message=SALE&lead_id=1234&counter=0&epoch=\(Self.epoch)&agent_log_id=99",
            contentType: "application/x-www-form-urlencoded; charset=UTF-8")
        #expect(response.status == 200)
        #expect(response.text == "accepted\n")
        #expect(harness.samples().series("vicidial_agent_dispositions_total") == [
            #"vicidial_agent_dispositions_total{user="6666",status="SALE"} 1"#
        ])
    }

    @Test func jsonPost() {
        let harness = ExporterHarness()
        let response = harness.post(
            #"{"user":"6666","event":"logged_out","message":"NORMAL","counter":0,"epoch":\#(Self.epoch)}"#,
            contentType: "application/json")
        #expect(response.status == 200)
        #expect(response.text == "accepted\n")
        #expect(harness.samples().series("vicidial_agent_logouts_total") == [
            #"vicidial_agent_logouts_total{user="6666",reason="NORMAL"} 1"#
        ])
    }

    /// get2post.php relays the screen's unencoded values: raw spaces and a stray `%` stay as sent.
    @Test func get2postBodyWithRawSpacesAndPercent() {
        let harness = ExporterHarness()
        let response = harness.post(
            "user=J Doe 50%&event=dispo_set&message= SALE &lead_id=12%zz&counter=0&epoch=\(Self.epoch)",
            contentType: "application/x-www-form-urlencoded")
        #expect(response.status == 200)
        #expect(response.text == "accepted\n")
        #expect(harness.samples().series("vicidial_agent_dispositions_total") == [
            #"vicidial_agent_dispositions_total{user="J Doe 50%",status="SALE"} 1"#
        ])
    }

    /// A POST with an empty body is decoded from its query (an admin's GET-style URL).
    @Test func postWithEmptyBodyUsesQuery() {
        let harness = ExporterHarness()
        let response = harness.post("", contentType: nil, query: "user=6666&event=logged_in")
        #expect(response.status == 200)
        #expect(response.text == "accepted\n")
    }

    @Test func exactRepeatIsDuplicate() {
        let harness = ExporterHarness()
        #expect(harness.push("state_ready", counter: 0, at: 0).text == "accepted\n")
        let repeated = harness.push("state_ready", counter: 0, at: 0.5, epoch: 0)
        #expect(repeated.status == 200)
        #expect(repeated.text == "duplicate, ignored\n")
        let samples = harness.samples()
        #expect(samples.series("vicidial_exporter_events_received_total") == ["vicidial_exporter_events_received_total 2"])
        #expect(samples.series("vicidial_exporter_events_accepted_total") == ["vicidial_exporter_events_accepted_total 1"])
        #expect(samples.series("vicidial_exporter_events_duplicate_total") == ["vicidial_exporter_events_duplicate_total 1"])
        #expect(samples.series("vicidial_agent_events_total") == [#"vicidial_agent_events_total{user="6666",event="state_ready"} 1"#])
    }

    /// Past a page's first counters, a held push is told it overtook an earlier one; a reloaded
    /// screen's first push, that it waits for the old page's end.
    @Test func heldPushesAreToldWhatTheyWaitFor() {
        let harness = ExporterHarness()
        for counter in 0...9 { #expect(harness.push("agent_alert", counter: counter, at: Double(counter)).text == "accepted\n") }
        #expect(harness.push("state_ready", counter: 11, at: 10).text == "accepted, applied within 1s: waiting for the earlier counter it overtook\n")
        #expect(harness.push("state_paused", counter: 10, at: 10.2).text == "accepted\n")
        #expect(harness.push("logged_in", counter: 2, at: 20).text
            == "accepted, applied within 1s: waiting for the last pushes of the agent screen's page before it was reloaded\n")
    }

    /// An event ahead of a counter gap waits (at most the reorder window) for the gap to fill.
    @Test func eventAheadOfGapIsHeld() {
        let harness = ExporterHarness()
        #expect(harness.push("logged_in", counter: 0, at: 0).text == "accepted\n")
        let ahead = harness.push("call_answered", counter: 2, at: 10)
        #expect(ahead.status == 200)
        #expect(ahead.text == "accepted, applied within 1s: waiting for this page's first counters (a new or reloaded agent screen's first pushes often overtake each other)\n")
        #expect(harness.push("state_ready", counter: 1, at: 10.5, epoch: 5).text == "accepted\n")
        let samples = harness.samples(at: 11)
        #expect(samples.series("vicidial_exporter_events_reordered_total") == ["vicidial_exporter_events_reordered_total 1"])
        #expect(samples.series("vicidial_agent_state_seconds_total", user: "6666") == [
            #"vicidial_agent_state_seconds_total{user="6666",state="pause"} 5"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="wait"} 5"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="talk"} 1"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="dead"} 0"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="dispo"} 0"#,
        ])
    }

    @Test func oversizedBodyIs413() {
        let harness = ExporterHarness(configuration: ExporterConfiguration(maxBodyBytes: 1000))
        let response = harness.exporter.handle(
            HTTPRequest(
                method: "POST", path: "/event", headers: HTTPHeaders([("Content-Type", "application/json")]),
                bodyTooLarge: true))
        #expect(response.status == 413)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.text == """
            request body larger than 1000 bytes: an agent event is a few hundred bytes; check what is posting here

            """)
        let samples = harness.samples()
        #expect(samples.contains(#"vicidial_exporter_events_rejected_total{reason="body_too_large"} 1"#))
        #expect(samples.contains("vicidial_exporter_events_received_total 1"))
        #expect(samples.contains("vicidial_exporter_events_accepted_total 0"))
        #expect(samples.contains(#"vicidial_exporter_http_requests_total{route="/event",code="413"} 1"#))
    }

    @Test func newAgentBeyondLimitIs429() {
        let harness = ExporterHarness(configuration: ExporterConfiguration(ledger: .init(maxAgents: 1)))
        #expect(harness.push("logged_in", counter: 0, at: 0, user: "1001").text == "accepted\n")
        let refused = harness.push("logged_in", counter: 0, at: 1, user: "1002")
        #expect(refused.status == 429)
        #expect(refused.text == "too many agents tracked (limit 1): raise --agent.max-agents\n")
        // The agent already tracked is still taken.
        #expect(harness.push("state_ready", counter: 1, at: 2, user: "1001").text == "accepted\n")
        let samples = harness.samples()
        #expect(samples.contains(#"vicidial_exporter_events_rejected_total{reason="too_many_agents"} 1"#))
        #expect(samples.contains("vicidial_exporter_events_received_total 3"))
        #expect(samples.contains("vicidial_exporter_events_accepted_total 2"))
        #expect(samples.contains("vicidial_exporter_agents_tracked 1"))
        #expect(samples.series("vicidial_agent_logins_total") == [#"vicidial_agent_logins_total{user="1001"} 1"#])
        #expect(samples.contains(#"vicidial_exporter_http_requests_total{route="/event",code="429"} 1"#))
    }
}
