import AgentEvents
import Testing
@testable import AgentLedger

/// The ledger split into stream and account stages, with lazy advances, against the fused
/// ledger it replaced (kept under Legacy/ until this comparison has passed): the same random
/// streams, scrapes and timeouts must give the same numbers after every step.
@Suite struct SplitEquivalenceTests {
    static let seeds: [UInt64] = Array(1...120)
    static let start = 1_764_000_000.0

    /// Short timeouts so that close-outs and expiries happen within a run.
    static let configurations = [
        LedgerConfiguration(),
        LedgerConfiguration(reorderWindow: 2, maxClockSkew: 5, sessionTimeout: 40, expireAfter: 90, maxAgents: 4,
            maxUnknownEventNames: 2, maxStatusValues: 2),
        LedgerConfiguration(reorderWindow: 0.5, sessionTimeout: 15, expireAfter: 0),
    ]

    /// Several agents' plausible days, interleaved, delivered with jitter, repeats and scrapes.
    @Test(arguments: seeds)
    func agentDaysGiveTheSameNumbers(seed: UInt64) {
        var rng = SplitMix64(seed: seed &* 6_700_417)
        var arrivals: [(event: AgentEvent, at: Double)] = []
        for agent in 0..<4 {
            let day = AgentDay(user: "a\(agent)", start: Int64(Self.start), actions: Int.random(in: 5...40, using: &rng), using: &rng)
            for event in day.events {
                let delay = Int.random(in: 0..<8, using: &rng) == 0 ? Double.random(in: 0..<5, using: &rng) : 0.3
                arrivals.append((event, Double(event.epoch!) + delay))
                if Int.random(in: 0..<20, using: &rng) == 0 { arrivals.append((event, Double(event.epoch!) + delay + 1)) }
            }
        }
        arrivals.sort { $0.at < $1.at }
        for configuration in Self.configurations {
            var pair = LedgerPair(configuration: configuration)
            for arrival in arrivals {
                if Int.random(in: 0..<6, using: &rng) == 0 { pair.advance(to: arrival.at - 0.2) }
                pair.ingest(arrival.event, at: arrival.at)
            }
            for gap in [1.0, 30, 120, 4000] { pair.advance(to: (arrivals.last?.at ?? Self.start) + gap) }
        }
    }

    /// Hostile streams: reused counters, missing epochs, clocks jumping both ways, unknown events.
    @Test(arguments: seeds)
    func arbitraryStreamsGiveTheSameNumbers(seed: UInt64) {
        for configuration in Self.configurations {
            var rng = SplitMix64(seed: seed &* 31_337)
            var pair = LedgerPair(configuration: configuration)
            var now = Self.start
            for _ in 0..<300 {
                now += Double.random(in: 0..<3, using: &rng)
                let name =
                    Int.random(in: 0..<8, using: &rng) == 0
                    ? EventName("custom_\(Int.random(in: 0..<4, using: &rng))")
                    : .known(KnownEvent.ordered.randomElement(using: &rng)!)
                let event = AgentEvent(
                    user: "fuzz\(Int.random(in: 0..<6, using: &rng))", event: name,
                    message: ["", "SALE", "NI", "DNC", "CLOSE", "CHECK-FOR-CALL COMPLETE: 1"].randomElement(using: &rng)!,
                    counter: Bool.random(using: &rng) ? Int.random(in: 0...12, using: &rng) : nil,
                    epoch: Int.random(in: 0..<5, using: &rng) == 0 ? nil : Int64(now) + Int64.random(in: -3...3, using: &rng))
                pair.ingest(event, at: now)
                if Int.random(in: 0..<5, using: &rng) == 0 { pair.advance(to: now + Double.random(in: -1..<2, using: &rng)) }
            }
            for gap in [5.0, 50, 500] { pair.advance(to: now + gap) }
        }
    }
}

/// The new ledger and the legacy one fed the same, compared after every step.
private struct LedgerPair {
    var ledger: AgentLedger
    var legacy: LegacyLedger
    var latestAdvance = -Double.infinity

    init(configuration: LedgerConfiguration) {
        ledger = AgentLedger(configuration: configuration)
        legacy = LegacyLedger(configuration: configuration)
    }

    mutating func ingest(_ event: AgentEvent, at time: Double) {
        let new = ledger.ingest(event, receivedAt: time)
        let old = legacy.ingest(event, receivedAt: time)
        #expect(new.outcome == Self.outcome(old.outcome))
        #expect(new.newUnknownEventName == old.newUnknownEventName)
        compare()
    }

    /// The new ledger takes an advance to an earlier time as one to its latest (documented), so
    /// the legacy one is given the latest.
    mutating func advance(to time: Double) {
        latestAdvance = max(latestAdvance, time)
        ledger.advance(to: time)
        legacy.advance(to: latestAdvance)
        compare()
    }

    private func compare() {
        #expect(ledger.statistics == legacy.statistics)
        #expect(ledger.histograms == legacy.histograms)
        let agents = ledger.agents
        #expect(agents.keys.sorted() == legacy.agents.keys.sorted())
        for (user, old) in legacy.agents {
            guard let new = agents[user]?.account else { continue }
            #expect(new.state == old.state, "\(user)")
            #expect(new.stateSince == old.stateSince, "\(user)")
            #expect(new.stateSeconds == old.stateSeconds, "\(user)")
            #expect(new.calls == old.calls && new.logins == old.logins, "\(user)")
            #expect(new.logouts == old.logouts && new.dispositions == old.dispositions, "\(user)")
            #expect(new.knownEventCounts == old.knownEventCounts, "\(user)")
            #expect(new.unknownEventCounts == old.unknownEventCounts, "\(user)")
            #expect(agents[user]?.lastEventTime == old.lastEventTime, "\(user)")
        }
    }

    private static func outcome(_ old: LegacyLedger.Outcome) -> AgentLedger.Outcome {
        switch old {
        case .applied: .applied
        case .held: .held
        case .duplicate: .duplicate
        case .late: .late
        case .refusedTooManyAgents: .refusedTooManyAgents
        }
    }
}
