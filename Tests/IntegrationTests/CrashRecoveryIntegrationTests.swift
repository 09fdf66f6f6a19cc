import AgentSimulation
import Foundation
import HTTPClient
import Synchronization
import TestSupport
import Testing

/// The release binary killed with SIGKILL at random moments under a stream of agent pushes
/// and restarted on the same storage: after every restart each acknowledged push is counted,
/// and at the end every agent's series equal those of a run that was never interrupted.
@Suite(.serialized) struct CrashRecoveryIntegrationTests {
    static let arguments = ["--agent.max-clock-skew", "48h", "--agent.reorder-window", "200ms"]
    static let killRounds = 24

    static func center(startEpoch: Int64) -> ContactCenter {
        ContactCenter(SimulationConfiguration(agents: 24, seed: 7, span: 5_400, startEpoch: startEpoch, heartbeatInterval: 5))
    }

    @Test func killedAtRandomMomentsItLosesNothingAcknowledged() throws {
        var rng = SplitMix64(seed: 2026)
        let startEpoch = Int64(Date().timeIntervalSince1970) - 36_000
        let stream = PushStream(center: Self.center(startEpoch: startEpoch), connections: 4)
        let storage = StorageDirectoryForTests()
        let unexpected = Mutex<[String]>([])
        var midRequestKills = 0
        var unansweredAtKill = 0
        for round in 1...Self.killRounds {
            let exporter = try ExporterProcess(arguments: Self.arguments, storage: storage)
            try expectAcknowledgedReflected(stream, port: exporter.port, round: round)
            // Kill once this round has had its share of acknowledgements, a random moment later.
            let target = stream.current.acknowledgedTotal + Int.random(in: stream.total / 60...stream.total / 35, using: &rng)
            let delay = UInt32.random(in: 0...3_000, using: &rng)
            let midRequest = round % 3 == 0
            let sending = DispatchGroup()
            let port = exporter.port
            DispatchQueue.global().async(group: sending) {
                stream.send(port: port) { message in unexpected.withLock { $0.append(message) } }
            }
            while stream.current.acknowledgedTotal < target && !stream.isFinished { usleep(200) }
            usleep(delay)
            if midRequest {
                // A push whose body is still arriving when the process dies: never acknowledged, never counted.
                let client = try RawHTTPClient(port: port)
                try client.send(
                    "POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60\r\n\r\nuser=ghost&event=logged_in")
                usleep(20_000)
            }
            try exporter.killHard()
            sending.wait()
            unansweredAtKill += stream.current.unanswered.compactMap { $0 }.count
            if midRequest { midRequestKills += 1 }
            #expect(!stream.isFinished, "the stream ran out before round \(round): make it longer")
        }
        let exporter = try ExporterProcess(arguments: Self.arguments, storage: storage)
        try expectAcknowledgedReflected(stream, port: exporter.port, round: Self.killRounds + 1)
        stream.send(port: exporter.port) { message in unexpected.withLock { $0.append(message) } }
        #expect(stream.isFinished)
        #expect(unexpected.withLock { $0 } == [])
        #expect(midRequestKills == Self.killRounds / 3)

        let uninterrupted = try ExporterProcess(arguments: Self.arguments)
        let reference = PushStream(center: Self.center(startEpoch: startEpoch), connections: 4)
        reference.send(port: uninterrupted.port) { message in unexpected.withLock { $0.append(message) } }
        usleep(400_000)  // past the reorder window
        let killedText = try scrape(exporter.port)
        let wholeText = try scrape(uninterrupted.port)
        let killed = Self.agentSeries(killedText)
        let whole = Self.agentSeries(wholeText)
        #expect(whole.count > 900)  // the comparison covers the whole center
        #expect(killed == whole)
        // Nothing lost: no agent has fewer seconds logged in. A logout pushed within a restart's
        // gap is placed after the scrape that followed the restart, so a session can end up to
        // that gap later (a few seconds of the agent's clock per kill, at this replay speed).
        let killedSeconds = Self.loginSeconds(killedText)
        let wholeSeconds = Self.loginSeconds(wholeText)
        #expect(killedSeconds.keys.sorted() == wholeSeconds.keys.sorted())
        for (user, seconds) in wholeSeconds {
            let recovered = killedSeconds[user] ?? 0
            #expect(recovered >= seconds && recovered <= seconds + Double(Self.killRounds * 5), "\(user): \(recovered) s, \(seconds) s uninterrupted")
        }
        #expect(!killed.contains { $0.contains("ghost") })
        let duplicates = try scrape(exporter.port).split(separator: "\n").first { $0.hasPrefix("vicidial_exporter_events_duplicate_total ") }
        #expect(try exporter.terminate() == 0)
        print(
            "kill -9: \(Self.killRounds) rounds (\(midRequestKills) mid-request), \(stream.total) pushes, \(unansweredAtKill) sent "
                + "but unanswered at a kill and sent again (\(duplicates ?? "")), agent counts and login seconds identical to an uninterrupted run")
    }

    /// Every (user, event) count shown is at least the pushes acknowledged, and at most one more
    /// per connection whose last push was stored but not answered before the kill.
    private func expectAcknowledgedReflected(_ stream: PushStream, port: UInt16, round: Int) throws {
        usleep(300_000)  // held pushes wait out the reorder window
        let progress = stream.current
        var acknowledged: [String: Int] = [:]
        for push in progress.acknowledged.joined() { acknowledged[Self.key(push.user, push.event.rawValue), default: 0] += 1 }
        var unanswered: [String: Int] = [:]
        for push in progress.unanswered.compactMap({ $0 }) { unanswered[Self.key(push.user, push.event.rawValue), default: 0] += 1 }
        let shown = Self.eventCounts(try scrape(port))
        for (key, count) in acknowledged {
            let value = shown[key] ?? 0
            #expect(value >= count && value <= count + (unanswered[key] ?? 0), "round \(round): \(key) shows \(value), \(count) acknowledged")
        }
        #expect(Set(shown.keys).isSubset(of: Set(acknowledged.keys).union(unanswered.keys)), "round \(round): events never sent")
    }

    static func key(_ user: String, _ event: String) -> String { "vicidial_agent_events_total{user=\"\(user)\",event=\"\(event)\"}" }

    static func eventCounts(_ metrics: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in metrics.split(separator: "\n") where line.hasPrefix("vicidial_agent_events_total{") {
            let parts = line.split(separator: " ")
            counts[String(parts[0])] = Int(parts[1])
        }
        return counts
    }

    /// The per-agent series and the histograms: what must not depend on restarts.
    /// The agent series that do not depend on when scrapes happened. The pushes are replayed
    /// much faster than real time, so an agent's clock runs at the pace of its pushes; a scrape
    /// after a restart (which took a second or two of that clock) reports the running state up
    /// to then, and the agent's next pushes, stamped within that gap, are placed after it
    /// (docs/accounting.md, "Time": what a scrape reported is final). That moves seconds from
    /// the state a push ends to the one it was ending, and so the duration histograms' sums and
    /// buckets; the counts of everything stay exact.
    static func agentSeries(_ metrics: String) -> [String] {
        let timed = ["vicidial_agent_state_seconds_total", "vicidial_agent_talk_seconds_total", "vicidial_agent_state_start_timestamp_seconds"]
        let durations = ["vicidial_agent_call_duration_seconds", "vicidial_agent_dispo_duration_seconds", "vicidial_agent_pause_duration_seconds"]
        return metrics.split(separator: "\n").map(String.init).filter { line in
            line.hasPrefix("vicidial_agent_") && !timed.contains { line.hasPrefix($0) }
                && !durations.contains { line.hasPrefix($0 + "_sum") || line.hasPrefix($0 + "_bucket") }
        }
    }

    /// Seconds logged in per agent: the sum of its state seconds.
    static func loginSeconds(_ metrics: String) -> [String: Double] {
        var seconds: [String: Double] = [:]
        for line in metrics.split(separator: "\n") where line.hasPrefix("vicidial_agent_state_seconds_total{") {
            let user = String(line.split(separator: "\"")[1])
            seconds[user, default: 0] += Double(line.split(separator: " ").last!)!
        }
        return seconds
    }

    private func scrape(_ port: UInt16) throws -> String {
        let response = try loopbackGet(port, "/metrics")
        #expect(response.status == 200)
        return response.bodyText
    }
}
