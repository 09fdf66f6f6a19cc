import AgentSimulation
import Testing

/// Simulated time onto real time: scaling, the start epoch, jitter and its bounds.
@Suite struct ScheduleTests {
    static let center = ContactCenter(SimulationConfiguration(agents: 10, seed: 3, span: 2400, startEpoch: 1_764_000_000))

    @Test func simulatedTimeIsScaledBySpeed() {
        let schedule = Schedule(speed: 120, jitter: 0)
        #expect(schedule.offset(of: 0) == 0)
        #expect(schedule.offset(of: 60) == 0.5)
        #expect(schedule.offset(of: 2400) == 20)
    }

    /// Simulated time reaches the wall clock at the end of the run and is never ahead of it before.
    @Test func epochsEndAtTheWallClockAndNeverRunAhead() {
        let wallClockStart = 1_700_000_000.25
        let fast = Schedule(speed: 120, jitter: 0)
        let startEpoch = fast.startEpoch(wallClockStart: wallClockStart, span: 2400)
        #expect(startEpoch == 1_699_997_620)
        #expect(startEpoch + 2400 == Int64(wallClockStart + 20))
        #expect((0...2400).allSatisfy { Double(startEpoch + Int64($0)) <= wallClockStart + fast.offset(of: $0) })
        // In real time the epoch is the wall clock's second.
        #expect(Schedule(speed: 1, jitter: 0).startEpoch(wallClockStart: 1_700_000_000.75, span: 60) == 1_700_000_000)
    }

    @Test func withoutJitterPushesGoInSimulatedOrder() {
        let deliveries = Schedule(speed: 60, jitter: 0).deliveries(of: Self.center.scripts, seed: 3)
        #expect(deliveries.map(\.offset) == deliveries.map { Double($0.push.time) / 60 })
        #expect(zip(deliveries, deliveries.dropFirst()).allSatisfy { $0.offset <= $1.offset })
        for (agent, script) in Self.center.scripts.enumerated() {
            #expect(deliveries.filter { $0.agent == agent }.map(\.push) == script.pushes)
        }
    }

    /// Jitter delays every push by less than itself and reorders an agent's pushes, but never lets
    /// one overtake the push `reorderDistance` places before it.
    @Test func jitterReordersWithinItsBounds() {
        let schedule = Schedule(speed: 120, jitter: 0.5)
        let deliveries = schedule.deliveries(of: Self.center.scripts, seed: 3)
        #expect(zip(deliveries, deliveries.dropFirst()).allSatisfy { $0.offset <= $1.offset })
        #expect(deliveries.allSatisfy { (0..<0.5).contains($0.offset - schedule.offset(of: $0.push.time)) })
        var reordered = 0
        for (agent, script) in Self.center.scripts.enumerated() {
            let sent = deliveries.filter { $0.agent == agent }.map(\.push)
            #expect(sent.count == script.pushes.count)
            let position = Dictionary(uniqueKeysWithValues: sent.enumerated().map { ($0.element, $0.offset) })
            for (index, push) in script.pushes.enumerated() {
                if position[push]! < index { reordered += 1 }
                if index >= Schedule.reorderDistance {
                    #expect(position[script.pushes[index - Schedule.reorderDistance]]! < position[push]!)
                }
            }
        }
        #expect(reordered > 0)
        #expect(schedule.deliveries(of: Self.center.scripts, seed: 3) == deliveries)
    }
}
