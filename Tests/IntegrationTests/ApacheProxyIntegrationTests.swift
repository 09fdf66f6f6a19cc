import AgentSimulation
import Foundation
import HTTPClient
import TestSupport
import Testing

/// The README's recommended set-up, live: a real Apache with contrib/apache/vicidial-exporter.conf
/// in front of the release exporter. Agent-screen pushes to /vicidial-events are accounted to the
/// second, and the browser's address comes from X-Forwarded-For only because Apache is trusted.
/// Clients bind source addresses in 127/8 (all loopback on Linux) to play agents' browsers.
@Suite(.serialized) struct ApacheProxyIntegrationTests {
    static let agent = "127.0.0.5"
    static let stranger = "127.0.0.6"

    /// Sends `request` from `source` and returns the status and body.
    static func send(_ request: String, to port: UInt16, from source: String) throws -> (status: Int, body: String) {
        let client = try RawHTTPClient(port: port, source: source)
        try client.send(request)
        let response = try client.readResponse()
        return (response.status, response.bodyText)
    }

    static func rejected(_ metrics: String, _ reason: String) -> String? {
        metrics.split(separator: "\n").first { $0.hasPrefix("vicidial_exporter_events_rejected_total{reason=\"\(reason)\"} ") }
            .map(String.init)
    }

    @Test func anAgentDayThroughApacheIsAccountedToTheSecond() throws {
        let exporter = try ExporterProcess(arguments: AgentDayIntegrationTests.arguments + [
            "--web.trusted-proxies", "127.0.0.1", "--ingest.allowed-sources", Self.agent,
        ])
        let apache = try ApacheServer(proxyingTo: exporter.port)
        let start = Int64(Date().timeIntervalSince1970) - 36_000
        let client = try RawHTTPClient(port: apache.port, source: Self.agent)
        for push in AgentDayScript.pushes(user: "1001", start: start) {
            try client.send(PushTransport.agentScreen.request(push, host: "127.0.0.1", path: "/vicidial-events"))
            let response = try client.readResponse()
            #expect(response.status == 200, "\(push.event.rawValue): \(response.bodyText)")
        }
        usleep(1_300_000)  // a held push waits out its window
        let metrics = try loopbackGet(exporter.port, "/metrics").bodyText
        for (state, seconds) in AgentDayScript.stateSeconds {
            #expect(metrics.contains("vicidial_agent_state_seconds_total{user=\"1001\",state=\"\(state)\"} \(seconds)\n"), "\(state)")
        }
        for line in [
            "vicidial_agent_talk_seconds_total{user=\"1001\"} 450",
            "vicidial_agent_calls_total{user=\"1001\"} 3",
            "vicidial_agent_dispositions_total{user=\"1001\",status=\"SALE\"} 1",
            "vicidial_agent_logins_total{user=\"1001\"} 1",
            "vicidial_agent_logouts_total{user=\"1001\",reason=\"NORMAL\"} 1",
            "vicidial_exporter_events_rejected_total{reason=\"forbidden_source\"} 0",
        ] {
            #expect(metrics.contains(line + "\n"), "missing: \(line)")
        }
        #expect(try exporter.terminate() == 0)
        #expect(!apache.errorLog.contains("error"), "\(apache.errorLog)")
    }

    @Test func theClientAddressComesFromApacheOnlyBecauseItIsTrusted() throws {
        let push = "GET /vicidial-events?user=1002&event=logged_in&counter=0&message= HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let forged = "GET /vicidial-events?user=1002&event=state_ready&counter=1&message= HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "X-Forwarded-For: \(Self.agent)\r\n\r\n"
        let trusting = try ExporterProcess(arguments: ["--web.trusted-proxies", "127.0.0.1", "--ingest.allowed-sources", Self.agent])
        let apache = try ApacheServer(proxyingTo: trusting.port)
        #expect(try Self.send(push, to: apache.port, from: Self.agent) == (200, "accepted\n"))
        // Another browser is refused, also when it forges the header: Apache appends the real
        // address, and the exporter takes the rightmost one that is not a trusted proxy.
        let refusal = "source address \(Self.stranger) may not push events: it is not in --ingest.allowed-sources\n"
        #expect(try Self.send(push, to: apache.port, from: Self.stranger) == (403, refusal))
        #expect(try Self.send(forged, to: apache.port, from: Self.stranger) == (403, refusal))
        // The header straight to the exporter, from a peer that is not a trusted proxy, is ignored.
        let forgedDirect = forged.replacingOccurrences(of: "GET /vicidial-events?", with: "GET /event?")
        #expect(try Self.send(forgedDirect, to: trusting.port, from: Self.stranger) == (403, refusal))
        let trustingMetrics = try loopbackGet(trusting.port, "/metrics").bodyText
        #expect(Self.rejected(trustingMetrics, "forbidden_source") == "vicidial_exporter_events_rejected_total{reason=\"forbidden_source\"} 3")
        #expect(trustingMetrics.contains("vicidial_agent_logins_total{user=\"1002\"} 1\n"))

        // Without --web.trusted-proxies every push through Apache comes from Apache's 127.0.0.1.
        let distrusting = try ExporterProcess(arguments: ["--ingest.allowed-sources", Self.agent])
        let secondApache = try ApacheServer(proxyingTo: distrusting.port)
        #expect(try Self.send(push, to: secondApache.port, from: Self.agent) == (
            403, "source address 127.0.0.1 may not push events: it is not in --ingest.allowed-sources\n"))
        let distrustingMetrics = try loopbackGet(distrusting.port, "/metrics").bodyText
        #expect(Self.rejected(distrustingMetrics, "forbidden_source") == "vicidial_exporter_events_rejected_total{reason=\"forbidden_source\"} 1")
        #expect(!distrustingMetrics.contains("user=\"1002\""))
        #expect(try trusting.terminate() == 0)
        #expect(try distrusting.terminate() == 0)
    }
}
