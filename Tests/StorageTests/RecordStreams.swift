import AgentEvents
import AgentSimulation

@testable import Storage

/// Journal record streams for the tests: a simulated contact center's pushes, delivered with
/// jitter (so some overtake others), some twice, with scrapes (advances) in between; and events
/// with every field at its edges.
enum RecordStreams {
    static let startEpoch: Int64 = 1_764_000_000

    static func contactCenter(seed: UInt64, agents: Int = 6, span: Int = 3_600) -> [JournalRecord] {
        let center = ContactCenter(
            SimulationConfiguration(agents: agents, seed: seed, span: span, startEpoch: startEpoch, heartbeatInterval: 2))
        var rng = SplitMix64(seed: seed)
        var arrivals: [(at: Double, record: JournalRecord)] = []
        for script in center.scripts {
            for push in script.pushes {
                let at = Double(push.epoch) + Double(Int.random(in: 0...1_500, using: &rng)) / 1_000
                arrivals.append((at, .event(event(push), receivedAt: at)))
                if Int.random(in: 0..<40, using: &rng) == 0 { arrivals.append((at + 0.2, .event(event(push), receivedAt: at + 0.2))) }
            }
        }
        var scrape = Double(startEpoch)
        while scrape < Double(startEpoch) + Double(span) + 30 {
            arrivals.append((scrape, .advance(to: scrape)))
            scrape += Double(Int.random(in: 5...30, using: &rng))
        }
        return arrivals.sorted { $0.at < $1.at }.map(\.record)
    }

    static func event(_ push: SimulatedPush) -> AgentEvent {
        AgentEvent(
            user: push.user, event: EventName(push.event.rawValue), message: push.message,
            leadID: UInt32(push.leadID), counter: push.counter, epoch: push.epoch, agentLogID: UInt32(push.agentLogID))
    }

    /// Events with every field at its edges: empty and long strings, multi-byte UTF-8, unknown
    /// names, absent and extreme numbers.
    static func edgeEvents() -> [JournalRecord] {
        [
            .event(AgentEvent(user: "a", event: .known(.loggedIn)), receivedAt: 0),
            .event(
                AgentEvent(
                    user: "ünïcødé-用户", event: .unknown("brand_new_event"), message: String(repeating: "x", count: 70_000),
                    leadID: .max, counter: Int(NumericField.counter.maximum), epoch: Int64(NumericField.epoch.maximum),
                    agentLogID: .max), receivedAt: 1_764_000_000.123_456),
            .event(
                AgentEvent(user: "b", event: .known(.dispoSet), message: "SALE", leadID: 0, counter: 0, epoch: 1, agentLogID: 0),
                receivedAt: -1.5),
            .event(AgentEvent(user: "c", event: .known(.agentAlert), message: "CHECK-FOR-CALL COMPLETE: 1"), receivedAt: .infinity),
            .advance(to: 1_764_000_000.999),
            .advance(to: -.infinity),
        ]
    }
}
