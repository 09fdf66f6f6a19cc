import AgentSimulation
import Testing

/// A run is reproducible from its seed, and each agent's shift depends on nothing but the seed and its number.
@Suite struct DeterminismTests {
    static func configuration(seed: UInt64, agents: Int = 8, startEpoch: Int64 = 1_764_000_000) -> SimulationConfiguration {
        SimulationConfiguration(agents: agents, seed: seed, span: 2400, startEpoch: startEpoch)
    }

    @Test func theSameSeedGivesTheSamePushesAndTotals() {
        let first = ContactCenter(Self.configuration(seed: 11))
        let second = ContactCenter(Self.configuration(seed: 11))
        #expect(first == second)
        #expect(first.totals == second.totals)
        let schedule = Schedule(speed: 60, jitter: 0.2)
        #expect(schedule.deliveries(of: first.scripts, seed: 11) == schedule.deliveries(of: second.scripts, seed: 11))
    }

    @Test func differentSeedsGiveEveryAgentADifferentShift() {
        let first = ContactCenter(Self.configuration(seed: 11))
        let second = ContactCenter(Self.configuration(seed: 12))
        for (one, other) in zip(first.scripts, second.scripts) {
            #expect(one.user == other.user)
            #expect(one.pushes != other.pushes, "\(one.user)")
        }
    }

    @Test func agentsDoNotChangeWhenOthersAreAdded() {
        let few = ContactCenter(Self.configuration(seed: 5, agents: 3))
        let many = ContactCenter(Self.configuration(seed: 5, agents: 9))
        #expect(Array(many.scripts.prefix(3)) == few.scripts)
    }

    /// The start epoch (the real clock at the start of a run) moves the epochs and nothing else.
    @Test func theStartEpochOnlyShiftsTheEpochs() {
        let early = ContactCenter(Self.configuration(seed: 5, startEpoch: 1_700_000_000))
        let late = ContactCenter(Self.configuration(seed: 5, startEpoch: 1_700_086_400))
        #expect(early.totals == late.totals)
        for (one, other) in zip(early.scripts, late.scripts) {
            #expect(one.pushes.map { $0.epoch + 86_400 } == other.pushes.map(\.epoch))
            #expect(one.pushes.map(\.time) == other.pushes.map(\.time))
            #expect(one.pushes.map(\.message) == other.pushes.map(\.message))
        }
    }
}
