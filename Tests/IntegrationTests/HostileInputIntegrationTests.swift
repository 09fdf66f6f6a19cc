import AgentSimulation
import Foundation
import HTTPClient
import TestSupport
import Testing

/// The release binary under the hostile inputs of docs/reliability.md, on 127.0.0.1 (and
/// 127.0.0.2 as a second client address). Request counts and durations are bounded.
@Suite(.serialized) struct HostileInputIntegrationTests {
    static let arguments = ["--agent.max-clock-skew", "48h", "--agent.reorder-window", "1s"]
    static let epoch = Int64(Date().timeIntervalSince1970)

    static func push(_ user: String, _ event: SimulatedEvent, counter: Int, epoch: Int64 = epoch, leadID: String = "", agentLogID: Int = 881)
        -> SimulatedPush
    {
        SimulatedPush(
            user: user, event: event, leadID: leadID, counter: counter, epoch: epoch, agentLogID: agentLogID, time: 0)
    }

    static func outOfRange(_ field: String, _ value: String, _ maximum: String) -> String {
        "field '\(field)' is \(value), beyond its largest accepted value \(maximum); VICIdial never sends such a number, "
            + "check what is posting here\n"
    }

    /// The counters, epochs and IDs that crashed the exporter, and the edges of their ranges,
    /// through every transport: each gets its exact answer and the process stays up.
    @Test func edgeValuesThroughEveryTransport() throws {
        let exporter = try ExporterProcess(arguments: Self.arguments)
        let client = try RawHTTPClient(port: exporter.port)
        let maxCounter = Int(Int32.max)
        let counterTooLarge = Self.outOfRange("counter", "9223372036854775807", "2147483647")
        var rejected = 0
        for (index, transport) in PushTransport.allCases.enumerated() {
            let user = "edge\(index)"
            func send(_ push: SimulatedPush) throws -> (Int, String) {
                try client.send(transport.request(push, host: "127.0.0.1", path: "/event"))
                let response = try client.readResponse()
                return (response.status, response.bodyText)
            }
            let cases: [(SimulatedPush, Int, String)] = [
                (Self.push(user, .loggedIn, counter: Int.max), 400, counterTooLarge),
                (Self.push(user, .loggedIn, counter: Int.max - 1), 400,
                 Self.outOfRange("counter", "9223372036854775806", "2147483647")),
                (Self.push(user, .loggedIn, counter: Int.max), 400, counterTooLarge),
                (Self.push(user, .loggedIn, counter: maxCounter + 1), 400,
                 Self.outOfRange("counter", "2147483648", "2147483647")),
                (Self.push(user, .loggedIn, counter: 0, epoch: Int64.max), 400,
                 Self.outOfRange("epoch", "9223372036854775807", "4294967295")),
                (Self.push(user, .loggedIn, counter: 0, epoch: 4_294_967_296), 400,
                 Self.outOfRange("epoch", "4294967296", "4294967295")),
                (Self.push(user, .loggedIn, counter: 0, leadID: "4294967296"), 400,
                 Self.outOfRange("lead_id", "4294967296", "4294967295")),
                (Self.push(user, .loggedIn, counter: 0, agentLogID: Int.max), 400,
                 Self.outOfRange("agent_log_id", "9223372036854775807", "4294967295")),
                // In range: the largest counter, then a new page from 0 that waits one window.
                (Self.push(user, .loggedIn, counter: maxCounter - 1), 200, "accepted\n"),
                (Self.push(user, .stateReady, counter: maxCounter), 200, "accepted\n"),
                (Self.push(user + "_held", .loggedIn, counter: 0), 200, "accepted\n"),
                (Self.push(user + "_held", .stateReady, counter: maxCounter), 200, "accepted, applied within 1s: waiting for this page's first counters (a new or reloaded agent screen's first pushes often overtake each other)\n"),
                (Self.push(user + "_ids", .loggedIn, counter: 0, leadID: "4294967295", agentLogID: 4_294_967_295), 200, "accepted\n"),
            ]
            for (push, status, body) in cases {
                let (answered, text) = try send(push)
                #expect(answered == status, "\(transport) \(push.counter) \(push.epoch): \(text)")
                #expect(text == body, "\(transport)")
                if status == 400 { rejected += 1 }
            }
        }
        // The JSON string form of the number that crashed it.
        try client.send(Self.fixLength(
            "POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n"
                + #"{"user":"edge_json_string","event":"logged_in","counter":"9223372036854775807"}"#))
        let jsonString = try client.readResponse()
        #expect(jsonString.status == 400)
        #expect(jsonString.bodyText == counterTooLarge)
        rejected += 1

        usleep(1_300_000)  // the held events' window passes; the next scrape releases them
        let metrics = try scrape(exporter.port)
        for index in PushTransport.allCases.indices {
            for user in ["edge\(index)", "edge\(index)_held"] {
                #expect(metrics.contains("vicidial_agent_state{user=\"\(user)\",state=\"wait\"} 1\n"), "\(user)")
                #expect(metrics.contains("vicidial_agent_logins_total{user=\"\(user)\"} 1\n"), "\(user)")
            }
        }
        #expect(metrics.contains("vicidial_exporter_events_rejected_total{reason=\"out_of_range\"} \(rejected)\n"))
        #expect(metrics.contains("vicidial_exporter_agents_tracked 12\n"))
        #expect(try scrape(exporter.port).contains("vicidial_exporter_agents_tracked 12\n"))  // still up
        #expect(try exporter.terminate() == 0)
    }

    /// Hundreds of slow clients (127.0.0.2) and a burst of abandoned bodies (127.0.0.3) while
    /// Prometheus (127.0.0.1) scrapes; then SIGTERM with the slow clients still connected.
    ///
    /// No timing threshold: the read timeout is set to 60 s, beyond both the client's 10 s
    /// receive timeout and the 10 s the test waits for the exit, so a scrape or a shutdown that
    /// waited for the slow clients to time out would fail outright.
    @Test func slowAndAbandonedClientsNeitherBlindScrapesNorDelayShutdown() throws {
        let exporter = try ExporterProcess(arguments: ["--web.read-timeout", "60s"])
        var slow: [RawHTTPClient] = []
        for _ in 0..<200 {
            let client = try RawHTTPClient(port: exporter.port, source: "127.0.0.2")
            try client.send("POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n")
            slow.append(client)
        }
        let abandoned = "POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 60000\r\n\r\nuser=6666&event=state_ready&message=" + String(repeating: "x", count: 900)
        for _ in 0..<1500 {
            let client = try RawHTTPClient(port: exporter.port, source: "127.0.0.3")
            try client.send(abandoned)
            client.closeNow()
        }
        let metrics = try scrape(exporter.port)
        #expect(metrics.contains("vicidial_exporter_http_connections_closed_total{reason=\"read_timeout\"} 0\n"))

        // The abandoned connections are all gone; the slow ones (and this scrape's) remain.
        let deadline = Date().addingTimeInterval(3)
        var open = ""
        repeat {
            open = try scrape(exporter.port).split(separator: "\n").first { $0.hasPrefix("vicidial_exporter_http_connections ") }
                .map(String.init) ?? ""
        } while open != "vicidial_exporter_http_connections 201" && Date() < deadline
        #expect(open == "vicidial_exporter_http_connections 201")

        #expect(try exporter.terminate() == 0)
        #expect(try slow[0].readUntilClosed() == [])
    }

    /// Thousands of agents, each with statuses and unknown event names of its own: the distinct
    /// label values stay at the caps, and what went to `other` is counted.
    @Test func labelValuesStayAtTheCaps() throws {
        let exporter = try ExporterProcess(arguments: Self.arguments)
        let client = try RawHTTPClient(port: exporter.port)
        let agents = 2000
        for agent in 0..<agents {
            for (counter, event) in ["dispo_set&message=S\(agent)A", "dispo_set&message=S\(agent)B", "new_event_\(agent)"].enumerated() {
                try client.send("GET /event?user=a\(agent)&event=\(event)&counter=\(counter + 20) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
        }
        let metrics = try scrape(exporter.port)
        let statuses = Set(labelValues("status", of: "vicidial_agent_dispositions_total", in: metrics))
        let events = Set(labelValues("event", of: "vicidial_agent_events_total", in: metrics))
        let samples = metrics.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
        print("\(agents) agents, \(2 * agents) statuses and \(agents) unknown events pushed: \(statuses.count) status values, "
            + "\(events.count) event values, \(samples) samples, \(metrics.utf8.count) bytes")
        #expect(statuses.count == 257)
        #expect(statuses.contains("other"))
        #expect(events.count == 66)  // dispo_set, 64 unknown names, other
        #expect(metrics.contains("vicidial_exporter_label_overflow_total{label=\"status\"} \(2 * agents - 256)\n"))
        #expect(metrics.contains("vicidial_exporter_label_overflow_total{label=\"event\"} \(agents - 64)\n"))
        #expect(metrics.contains("vicidial_exporter_events_accepted_total \(3 * agents)\n"))
        #expect(try exporter.terminate() == 0)
    }

    /// Thousands of agents, many pushes each with 1 KiB messages, a counter gap so pushes are
    /// held: the exporter's memory does not depend on the messages. The figure is printed; the
    /// bound is checked by Benchmarks/memory.py.
    @Test func memoryWithLongMessages() throws {
        let exporter = try ExporterProcess(arguments: Self.arguments)
        let before = try residentBytes(exporter.port)
        let agents = 2000
        let pushesPerAgent = 40
        let message = String(repeating: "m", count: 1024)
        let senders = 4
        let failures = DispatchGroup()
        let port = exporter.port
        for sender in 0..<senders {
            failures.enter()
            Thread {
                defer { failures.leave() }
                guard let client = try? RawHTTPClient(port: port) else { return }
                for agent in stride(from: sender, to: agents, by: senders) {
                    for counter in 0...pushesPerAgent where counter != 1 {  // counter 1 never comes: pushes are held
                        let push = Self.push("m\(agent)", counter == 0 ? .loggedIn : .agentAlert, counter: counter)
                        var request = PushTransport.agentScreen.request(push, host: "127.0.0.1", path: "/event")
                        request = request.replacingOccurrences(of: "message=&", with: "message=\(message)&")
                        _ = try? client.send(Self.fixLength(request))
                        _ = try? client.readResponse()
                    }
                }
            }.start()
        }
        failures.wait()
        usleep(1_300_000)
        let metrics = try scrape(exporter.port)
        let after = try residentBytes(exporter.port)
        let perAgent = (after - before) / Double(agents)
        print("memory: \(agents) agents x \(pushesPerAgent) pushes with 1 KiB messages: RSS \(Int(before)) -> \(Int(after)) bytes, \(Int(perAgent)) bytes per agent")
        #expect(metrics.contains("vicidial_exporter_events_accepted_total \(agents * pushesPerAgent)\n"))
        #expect(metrics.contains("vicidial_exporter_agents_tracked \(agents)\n"))
        #expect(try exporter.terminate() == 0)
    }

    /// Bad values of the limit flags stop the exporter at start, naming the flag.
    @Test(arguments: [
        (["--web.read-timeout", "0s"], "--web.read-timeout must be more than 0s"),
        (["--web.read-timeout", "soon"], "The value 'soon' is invalid for '--web.read-timeout <duration>'"),
        (["--web.max-connections-per-ip", "0"], "--web.max-connections-per-ip must be between 1 and 1000000, got 0"),
        (["--web.max-connections", "9223372036854775807"],
         "--web.max-connections must be between 1 and 1000000, got 9223372036854775807"),
        (["--web.max-answers-in-flight", "0"], "--web.max-answers-in-flight must be between 1 and 1000000, got 0"),
        (["--metrics.max-status-values=-1"], "--metrics.max-status-values and --metrics.max-unknown-event-values must not be negative"),
    ])
    func badLimitFlagsAreRefused(_ flags: [String], _ message: String) throws {
        let (status, text) = try refusedStart(flags)
        #expect(status == 64, "\(text)")
        #expect(text.contains(message), "\(text)")
    }

    /// `request` with its Content-Length set to its body's length.
    static func fixLength(_ request: String) -> String {
        guard let split = request.range(of: "\r\n\r\n") else { return request }
        let body = request[split.upperBound...]
        let head = request[..<split.lowerBound].split(separator: "\r\n").map { line in
            line.hasPrefix("Content-Length: ") ? "Content-Length: \(body.utf8.count)" : String(line)
        }
        return head.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    private func residentBytes(_ port: UInt16) throws -> Double {
        let line = try scrape(port).split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
        return Double(line?.split(separator: " ").last ?? "") ?? -1
    }

    private func labelValues(_ label: String, of metric: String, in text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(metric + "{") }.compactMap { line in
            guard let start = line.range(of: "\(label)=\"") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    private func scrape(_ port: UInt16) throws -> String {
        let response = try loopbackGet(port, "/metrics")
        #expect(response.status == 200)
        return response.bodyText
    }
}
