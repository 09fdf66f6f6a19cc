import AgentEvents
import Testing
@testable import AgentLedger

/// Which clock an event is accounted at, accrual to the scrape time, and monotonic counters.
@Suite struct TimeSourceTests {
    @Test func epochWithinSkewIsUsed() {
        var s = LedgerScript()
        s.latency = 1800  // half an hour behind, within the default 1 h
        s.push("state_ready", at: 0)
        s.push("state_paused", at: 100)
        #expect(s.seconds() == states(wait: 100))
    }

    @Test func epochBeyondSkewFallsBackToReceiveTime() {
        var s = LedgerScript(configuration: LedgerConfiguration(maxClockSkew: 60))
        s.latency = 7200  // server clock two hours off
        s.push("state_ready", at: 0)
        let paused = s.event("state_paused", at: 10)  // wrong epoch, received 35 s later
        s.deliver(paused, receivedAt: s.time(7200 + 35))
        #expect(s.seconds() == states(wait: 35))
        #expect(s.record.stateSince == s.time(7200 + 35))
    }

    @Test func timeNeverRunsBackwards() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 50)
        var stale = AgentEvent(user: s.user, event: .known(.agentHangup), epoch: LedgerScript.start + 20)
        stale.counter = nil
        s.deliver(stale, receivedAt: s.time(60))
        #expect(s.record.stateSince == s.time(50))
        #expect(s.seconds(at: 60) == states(wait: 50, talk: 0, dispo: 10))
    }

    @Test func openIntervalsAccrueToTheScrapeTime() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        let first = s.ledger.snapshot(at: s.time(30))
        #expect(first.withAgent(s.user) { $0.seconds(in: .pause) } == 30)
        // Whole seconds of the agent's clock: a push stamped 45 must still fit in after this scrape.
        let second = s.ledger.snapshot(at: s.time(45.5))
        #expect(second.withAgent(s.user) { $0.seconds(in: .pause) } == 45)
    }

    /// A scrape reports 30 s of wait; an event stamped 5 s earlier arrives afterwards. The wait
    /// already reported must not shrink: the event is placed at the scrape time.
    @Test func lateEventAfterAScrapeNeverDecreasesACounter() {
        var s = LedgerScript()
        s.push("state_ready", at: 100)
        #expect(s.seconds(at: 130) == states(wait: 30))
        s.push("call_answered", at: 125)
        #expect(s.record.stateSince == s.time(130))
        #expect(s.seconds(at: 160) == states(wait: 30, talk: 30))
    }

    /// The exporter started mid-call: the first event says what the agent is doing.
    @Test func exporterStartingMidCall() {
        var s = LedgerScript()
        s.nextCounter = 412
        s.push("call_dead", "M9", at: 50)
        s.push("agent_hangup", at: 80)
        s.push("dispo_screen_open", at: 81)
        s.push("dispo_set", "NI", at: 90)
        #expect(s.seconds(at: 95) == states(pause: 5, dead: 30, dispo: 10))
        #expect(s.record.calls == 0)
        #expect(s.ledger.histograms.callDuration.count == 0)
        #expect(s.ledger.histograms.dispoDuration.sum == 10)
    }

    @Test(arguments: [
        ("state_paused", "", AgentState?.some(.pause)),
        ("state_ready", "READY", .wait),
        ("agent_alert", "CHECK-FOR-CALL COMPLETE: 12", .wait),
        ("agent_alert", "Call Rejected", nil),
        ("call_answered", "", .talk),
        ("call_dead", "", .dead),
        ("park_started", "", .talk),
        ("agent_hangup", "", .dispo),
        ("dispo_screen_open", "", .dispo),
        ("transfer_blind", "8300", .dispo),
        ("dispo_set", "SALE", .pause),
        ("manual_dial_open", "", .pause),
        ("logged_in", "", .pause),
        ("logged_out", "NORMAL", nil),
        ("ingroup_screen_open", "", nil),
        ("time_sync", "", nil),
    ])
    func firstEventOfAnUnknownAgentImpliesItsState(event: String, message: String, state: AgentState?) {
        var s = LedgerScript()
        s.nextCounter = 300
        s.push(event, message, at: 10)
        #expect(s.record.state == state)
        let expected = state.map { [$0: 20.0] } ?? [:]
        let accrued = s.seconds(at: 30).filter { $0.value != 0 }
        #expect(accrued == expected)
        // All five state series exist from the first event, zeros included.
        #expect(s.record.stateSeconds.count == 5)
    }

    @Test func untrackedAgentStartsWithTheFirstStateEvent() {
        var s = LedgerScript()
        s.nextCounter = 300
        s.push("territory_screen_open", at: 0)
        s.push("territory_screen_closed", at: 5)
        s.push("state_paused", at: 10)
        #expect(s.seconds(at: 30) == states(pause: 20))
    }
}
