import Foundation
import HTTPClient
import Testing
import TestSupport

/// One exporter per VICIdial web server, aggregated by Grafana/prometheus/vicidial-aggregation-rules.yml
/// in a real Prometheus: agent 1001 works a session on web server A, logs out, and works the
/// next on web server B. Every push also goes to a third exporter, C, as if one central exporter
/// saw the whole day. Once the day is over, the rules' totals over A and B equal C's, series by
/// series; mid-shift, the current state is B's, also for agent 1002 whose logout never reached A.
@Suite(.serialized) struct TwoExportersLiveTests {
    struct Push {
        var user: String
        var event: String
        var message = ""
        var counter: Int
        var second: Int64
    }

    static let start = Int64(Date().timeIntervalSince1970) - 3_600

    /// 1001's first session, on A: a call dispositioned SALE, a pause, a logout.
    static let firstSession = [
        Push(user: "1001", event: "logged_in", counter: 0, second: 0),
        Push(user: "1001", event: "state_ready", message: "READY", counter: 1, second: 10),
        Push(user: "1001", event: "call_answered", message: "M1", counter: 2, second: 20),
        Push(user: "1001", event: "agent_hangup", counter: 3, second: 80),
        Push(user: "1001", event: "dispo_screen_open", counter: 4, second: 81),
        Push(user: "1001", event: "dispo_set", message: "SALE", counter: 5, second: 90),
        Push(user: "1001", event: "state_paused", message: "PAUSED", counter: 6, second: 95),
        Push(user: "1001", event: "logged_out", message: "NORMAL", counter: 7, second: 200),
    ]

    /// 1001's second session, on B (a new page: counters from 0), up to its wait for a call.
    static let secondSessionStart = [
        Push(user: "1001", event: "logged_in", counter: 0, second: 300),
        Push(user: "1001", event: "state_ready", message: "READY", counter: 1, second: 310),
        Push(user: "1001", event: "call_answered", message: "M2", counter: 2, second: 320),
        Push(user: "1001", event: "agent_hangup", counter: 3, second: 380),
        Push(user: "1001", event: "dispo_screen_open", counter: 4, second: 381),
        Push(user: "1001", event: "dispo_set", message: "NI", counter: 5, second: 400),
        Push(user: "1001", event: "state_ready", message: "READY", counter: 6, second: 401),
    ]

    static let secondSessionEnd = [
        Push(user: "1001", event: "state_paused", message: "PAUSED", counter: 7, second: 450),
        Push(user: "1001", event: "logged_out", message: "NORMAL", counter: 8, second: 500),
    ]

    /// 1002 pauses on A and its browser dies (no logout reaches A); it then works on B.
    static let strandedOnA = [
        Push(user: "1002", event: "logged_in", counter: 0, second: 0),
        Push(user: "1002", event: "state_paused", message: "PAUSED", counter: 1, second: 10),
    ]
    static let movedToB = [
        Push(user: "1002", event: "logged_in", counter: 0, second: 300),
        Push(user: "1002", event: "state_ready", message: "READY", counter: 1, second: 310),
    ]

    static func send(_ pushes: [Push], to ports: [UInt16]) throws {
        for port in ports {
            let client = try RawHTTPClient(port: port)
            for push in pushes {
                try client.send(
                    "GET /event?user=\(push.user)&event=\(push.event)&counter=\(push.counter)&epoch=\(start + push.second)"
                        + "&message=\(push.message) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200, "\(push.user) \(push.event) to \(port): \(response.bodyText)")
            }
        }
    }

    /// A vector as comparable text: each sample's labels but job and instance, and its value.
    static func samples(_ api: PrometheusAPI, _ query: String) throws -> [String] {
        try api.query(query).map { sample in
            let labels = sample.labels.filter { !["job", "instance", "__name__"].contains($0.key) }
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return "{\(labels)} \(sample.value)"
        }.sorted()
    }

    /// Each rule over A and B, with the raw family of C it must equal.
    static let totals = [
        ("user_state:vicidial_agent_state_seconds_total:sum", "vicidial_agent_state_seconds_total"),
        ("user:vicidial_agent_talk_seconds_total:sum", "vicidial_agent_talk_seconds_total"),
        ("user:vicidial_agent_calls_total:sum", "vicidial_agent_calls_total"),
        ("user_status:vicidial_agent_dispositions_total:sum", "vicidial_agent_dispositions_total"),
        ("user:vicidial_agent_logins_total:sum", "vicidial_agent_logins_total"),
        ("user_reason:vicidial_agent_logouts_total:sum", "vicidial_agent_logouts_total"),
        ("user_event:vicidial_agent_events_total:sum", "vicidial_agent_events_total"),
    ]

    @Test func totalsOverTwoExportersEqualOneExportersAndTheStateIsTheLatest() throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("two-exporters-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let flags = ["--agent.max-clock-skew", "48h"]
        let webA = try ExporterProcess(arguments: flags)
        let webB = try ExporterProcess(arguments: flags)
        let central = try ExporterProcess(arguments: flags)
        let rules = packageRoot.appendingPathComponent("Grafana/prometheus/vicidial-aggregation-rules.yml")
        let (prometheus, api) = try PrometheusAPI.start(
            configuration: """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - \(rules.path)
                scrape_configs:
                  - job_name: split
                    static_configs:
                      - targets: ["127.0.0.1:\(webA.port)", "127.0.0.1:\(webB.port)"]
                  - job_name: central
                    static_configs:
                      - targets: ["127.0.0.1:\(central.port)"]

                """,
            workspace: workspace)
        defer { withExtendedLifetime(prometheus) {} }

        try Self.send(Self.firstSession, to: [webA.port, central.port])
        try Self.send(Self.strandedOnA, to: [webA.port])
        try Self.send(Self.secondSessionStart, to: [webB.port, central.port])
        try Self.send(Self.movedToB, to: [webB.port])

        // Mid-shift: A still shows 1002 paused; the rule takes B's state for both agents.
        let latest = #"user_state:vicidial_agent_state:latest{job="split"}"#
        let expected = [
            "{state=dead,user=1001} 0.0", "{state=dead,user=1002} 0.0", "{state=dispo,user=1001} 0.0",
            "{state=dispo,user=1002} 0.0", "{state=pause,user=1001} 0.0", "{state=pause,user=1002} 0.0",
            "{state=talk,user=1001} 0.0", "{state=talk,user=1002} 0.0", "{state=wait,user=1001} 1.0",
            "{state=wait,user=1002} 1.0",
        ]
        let midShift = try eventually(seconds: 20) { () -> [String]? in
            let now = try Self.samples(api, latest)
            return now == expected ? now : nil
        }
        let seen = try Self.samples(api, latest)
        #expect(midShift == expected, "\(seen)")
        #expect(try Self.samples(api, #"vicidial_agent_state{job="split",user="1002",state="pause"} == 1"#) == ["{state=pause,user=1002} 1.0"])

        try Self.send(Self.secondSessionEnd, to: [webB.port, central.port])
        usleep(1_300_000)  // held pushes (the central exporter's page switch) wait out their window

        // The day is over, so neither side accrues: once Prometheus has caught up, every total
        // of the rules over A and B equals the central exporter's own series.
        for (rule, family) in Self.totals {
            let reference = #"\#(family){job="central",user="1001"}"#
            let aggregated = #"\#(rule){job="split",user="1001"}"#
            let converged = try eventually(seconds: 20) { () -> [String]? in
                let wanted = try Self.samples(api, reference)
                let got = try Self.samples(api, aggregated)
                return !wanted.isEmpty && got == wanted ? wanted : nil
            }
            let (got, wanted) = (try Self.samples(api, aggregated), try Self.samples(api, reference))
            #expect(converged != nil, "\(rule): \(got) vs \(wanted)")
        }
        // And the central exporter's figures are the day's, worked by hand: pause 0-10, 90-95
        // (after the disposition), 95-200, 300-310, 400-401, 450-500; wait 10-20, 310-320,
        // 401-450; talk 20-80, 320-380; dispo 80-90, 380-400: 400 s logged in.
        #expect(try Self.samples(api, #"vicidial_agent_state_seconds_total{job="central",user="1001"}"#) == [
            "{state=dead,user=1001} 0.0", "{state=dispo,user=1001} 30.0", "{state=pause,user=1001} 181.0",
            "{state=talk,user=1001} 120.0", "{state=wait,user=1001} 69.0",
        ])
        #expect(try Self.samples(api, #"user:vicidial_agent_calls_total:sum{job="split"}"#) == ["{user=1001} 2.0", "{user=1002} 0.0"])
        #expect(try Self.samples(api, #"user_status:vicidial_agent_dispositions_total:sum{job="split"}"#) == [
            "{status=NI,user=1001} 1.0", "{status=SALE,user=1001} 1.0",
        ])
        #expect(try webA.terminate() == 0)
        #expect(try webB.terminate() == 0)
        #expect(try central.terminate() == 0)
    }
}
