import AgentSimulation
import Testing

/// Invariants of generated shifts over many seeds, short and long runs, sparse and dense heartbeats.
@Suite struct ScriptInvariantTests {
    static let seeds: [UInt64] = Array(1...40)
    static let startEpoch: Int64 = 1_764_000_000

    /// (agents, simulated span, heartbeat interval): a 40-minute run, the shortest run, an 8-hour shift.
    static let runs = [(agents: 6, span: 2400, heartbeat: 5), (agents: 3, span: 60, heartbeat: 1), (agents: 2, span: 8 * 3600, heartbeat: 5)]

    static func center(seed: UInt64, run: Int) -> ContactCenter {
        let (agents, span, heartbeat) = runs[run]
        return ContactCenter(
            SimulationConfiguration(agents: agents, seed: seed, span: span, startEpoch: startEpoch, heartbeatInterval: heartbeat))
    }

    @Test(arguments: seeds, 0..<runs.count)
    func statesAddUpToTheLoggedInTime(seed: UInt64, run: Int) {
        for script in Self.center(seed: seed, run: run).scripts {
            let loggedIn = script.sessions.reduce(0) { $0 + $1.logout - $1.login }
            #expect(script.totals.stateSeconds.total == loggedIn, "\(script.user)")
            #expect(script.totals.logins == script.sessions.count)
            #expect(script.totals.logouts.values.reduce(0, +) == script.sessions.count)
        }
    }

    /// The totals equal docs/accounting.md's rules replayed over the pushes: what the model decided is what it sent.
    @Test(arguments: seeds, 0..<runs.count)
    func totalsFollowTheAccountingRules(seed: UInt64, run: Int) {
        for script in Self.center(seed: seed, run: run).scripts {
            #expect(AccountingReplay(script.pushes).totals == script.totals, "\(script.user)")
        }
    }

    @Test(arguments: seeds, 0..<runs.count)
    func countersRestartAtEveryPageLoadAndCountUp(seed: UInt64, run: Int) {
        for script in Self.center(seed: seed, run: run).scripts {
            var previous: SimulatedPush?
            for push in script.pushes {
                // A page ends with logged_out, or with logged_out_complete right after it.
                let newPage = previous.map { $0.event == .loggedOutComplete || $0.event == .loggedOut && push.event != .loggedOutComplete } ?? true
                #expect(push.counter == (newPage ? 0 : previous!.counter + 1), "\(script.user) \(push.event) at \(push.time)")
                if push.event == .loggedIn { #expect(push.counter == 2) }
                previous = push
            }
        }
    }

    @Test(arguments: seeds, 0..<runs.count)
    func epochsFollowSimulatedTimeWithinTheRun(seed: UInt64, run: Int) {
        let span = Self.runs[run].span
        for script in Self.center(seed: seed, run: run).scripts {
            #expect(zip(script.pushes, script.pushes.dropFirst()).allSatisfy { $0.time <= $1.time }, "\(script.user)")
            #expect(script.pushes.allSatisfy { (0...span).contains($0.time) && $0.epoch == Self.startEpoch + Int64($0.time) })
            #expect(script.sessions.allSatisfy { $0.login < $0.logout && $0.logout <= span })
        }
    }

    @Test(arguments: seeds, 0..<runs.count)
    func everyPushIsInALegalPlaceAndTheShiftEndsLoggedOut(seed: UInt64, run: Int) {
        for script in Self.center(seed: seed, run: run).scripts {
            var checker = CallFlowChecker()
            for push in script.pushes {
                if let problem = checker.take(push) {
                    Issue.record("\(script.user): \(problem)")
                    break
                }
            }
            #expect(checker.isLoggedOut, "\(script.user)")
            #expect(script.totals.logouts["NORMAL"] == 1, "\(script.user)")
        }
    }

    @Test(arguments: seeds, 0..<runs.count)
    func readyHeartbeatsComeEveryInterval(seed: UInt64, run: Int) {
        let interval = Self.runs[run].heartbeat
        for script in Self.center(seed: seed, run: run).scripts {
            for (previous, push) in zip(script.pushes, script.pushes.dropFirst()) where push.message.hasPrefix("CHECK-FOR-CALL") {
                #expect(push.time - previous.time == interval, "\(script.user) at \(push.time)")
            }
        }
    }

    /// Every ending VICIdial has, and every other flow, appears somewhere in a few dozen shifts.
    @Test func theShiftsCoverEveryFlow() {
        var seen: Set<CallFlowChecker.Flow> = []
        for seed in Self.seeds {
            for script in Self.center(seed: seed, run: 0).scripts {
                var checker = CallFlowChecker()
                for push in script.pushes { _ = checker.take(push) }
                seen.formUnion(checker.seen)
            }
        }
        #expect(Set(CallFlowChecker.Flow.allCases).subtracting(seen) == [])
    }

    @Test func usersAreNumberedWithThePrefix() {
        #expect(SimulationConfiguration(agents: 3, span: 60, startEpoch: 0).users == ["sim001", "sim002", "sim003"])
        let many = SimulationConfiguration(agents: 1200, usersPrefix: "agent", span: 60, startEpoch: 0).users
        #expect(many.first == "agent0001")
        #expect(many.last == "agent1200")
    }
}
