import AgentEvents
import Testing
@testable import AgentLedger

/// Counter order, the reorder window, duplicates, late events and page loads (docs/accounting.md, "Order").
@Suite struct OrderingTests {
    /// dispo_set waits for the server, so the state_ready fired after it can overtake it.
    @Test func stateReadyBeforeDispoSetWithinTheWindow() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 10)
        s.push("dispo_screen_open", at: 70)
        let dispoSet = s.event("dispo_set", "SALE", at: 80)
        let ready = s.event("state_ready", at: 90)
        #expect(s.deliver(ready, receivedAt: s.time(90)) == .held)
        #expect(s.deliver(dispoSet, receivedAt: s.time(90.5)) == .applied)
        #expect(s.seconds(at: 100) == states(pause: 10, wait: 10 + 10, talk: 60, dispo: 10))
        #expect(s.record.dispositions == ["SALE": 1])
        #expect(s.ledger.statistics.reordered == 1)
        #expect(s.ledger.statistics.late == 0)
    }

    /// Past the window the held state_ready is applied; the dispo_set that comes later still
    /// counts its disposition but no longer moves the state.
    @Test func dispoSetBeyondTheWindowIsLate() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 10)
        s.push("dispo_screen_open", at: 70)
        let dispoSet = s.event("dispo_set", "SALE", at: 80)
        let ready = s.event("state_ready", at: 90)
        #expect(s.deliver(ready, receivedAt: s.time(90)) == .held)
        s.ledger.advance(to: s.time(91))
        #expect(s.record.state == .wait)
        #expect(s.deliver(dispoSet, receivedAt: s.time(92)) == .late)
        #expect(s.record.state == .wait)
        #expect(s.record.dispositions == ["SALE": 1])
        #expect(s.seconds(at: 100) == states(wait: 10 + 10, talk: 60, dispo: 20))
        #expect(s.ledger.statistics.late == 1)
        #expect(s.ledger.statistics.reordered == 1)
    }

    /// agent_hangup fires after its AJAX call and can come after dispo_screen_open in counter order.
    @Test func dispoScreenOpenBeforeAgentHangup() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 0)
        s.push("dispo_screen_open", at: 60)
        s.push("agent_hangup", at: 61)
        s.push("dispo_set", "NI", at: 65)
        #expect(s.seconds(at: 65) == states(talk: 60, dispo: 5))
    }

    /// The same pair delivered in the other order: the counter decides.
    @Test func agentHangupOvertakenByDispoScreenOpen() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 0)
        let hangup = s.event("agent_hangup", at: 59)
        let screen = s.event("dispo_screen_open", at: 60)
        #expect(s.deliver(screen, receivedAt: s.time(60)) == .held)
        #expect(s.deliver(hangup, receivedAt: s.time(60.2)) == .applied)
        #expect(s.seconds(at: 65) == states(talk: 59, dispo: 6))
    }

    @Test func exactRepeatIsADuplicate() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        let answered = s.event("call_answered", "M1", at: 10)
        #expect(s.deliver(answered, receivedAt: s.time(10)) == .applied)
        #expect(s.deliver(answered, receivedAt: s.time(10.4)) == .duplicate)
        #expect(s.seconds(at: 20) == states(wait: 10, talk: 10))
        #expect(s.record.calls == 1)
        #expect(s.ledger.statistics.duplicates == 1)
        #expect(s.ledger.statistics.accepted == 2)
    }

    @Test func repeatOfAHeldEventIsADuplicate() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        let gap = s.event("call_answered", at: 10)
        let early = s.event("agent_hangup", at: 20)
        #expect(s.deliver(early, receivedAt: s.time(20)) == .held)
        #expect(s.deliver(early, receivedAt: s.time(20.1)) == .duplicate)
        #expect(s.deliver(gap, receivedAt: s.time(20.2)) == .applied)
        #expect(s.seconds(at: 30) == states(wait: 10, talk: 10, dispo: 10))
    }

    /// A page load: counter back to 0, in-group screen events take 0 and 1, logged_in has 2,
    /// and the new page's first pushes arrive out of order too.
    @Test func reloadMidSessionWithScrambledFirstEvents() {
        var s = LedgerScript()
        s.push("ingroup_screen_open", at: 0)
        s.push("ingroup_screen_closed", at: 1)
        s.push("logged_in", at: 2)
        s.push("state_ready", at: 10)
        for second in 11...40 { s.push("agent_alert", "CHECK-FOR-CALL COMPLETE: 1", at: Int64(second)) }
        s.push("state_paused", "PAUSED", at: 50)
        s.push("logged_out", "CLOSE", at: 51)
        #expect(s.nextCounter == 36)

        s.nextCounter = 0
        let open = s.event("ingroup_screen_open", at: 55)
        let closed = s.event("ingroup_screen_closed", at: 56)
        let login = s.event("logged_in", at: 57)
        let ready = s.event("state_ready", at: 60)
        #expect(s.deliver(login, receivedAt: s.time(60)) == .held)
        #expect(s.deliver(ready, receivedAt: s.time(60.1)) == .held)
        #expect(s.deliver(open, receivedAt: s.time(60.2)) == .held)
        #expect(s.deliver(closed, receivedAt: s.time(60.3)) == .held)
        // The new page waits one window for the old page's last pushes, then applies in counter order.
        s.ledger.advance(to: s.time(60.9))
        #expect(s.record.state == nil)
        s.ledger.advance(to: s.time(61))
        #expect(s.record.state == .wait)
        #expect(s.seconds(at: 70) == states(pause: 8 + 1 + 3, wait: 40 + 10))
        #expect(s.record.logins == 2)
        #expect(s.record.logouts == ["CLOSE": 1])
        #expect(s.ledger.statistics.reordered == 4)
        #expect(s.ledger.statistics.late == 0)
    }

    /// If 0 and 1 never come, the new page's logged_in waits only the reorder window.
    @Test func reloadWhoseFirstPushesAreLost() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 10)
        for second in 11...20 { s.push("agent_alert", "CHECK-FOR-CALL COMPLETE: 1", at: Int64(second)) }
        s.nextCounter = 2
        #expect(s.push("logged_in", at: 30) == .held)
        s.ledger.advance(to: s.time(30.5))
        #expect(s.record.state == .wait)
        s.ledger.advance(to: s.time(31))
        #expect(s.record.state == .pause)
        #expect(s.seconds(at: 40) == states(pause: 10 + 10, wait: 20))
    }

    /// The old page's last pushes overtaken by the new page's first ones, within the window:
    /// the old page is finished first, exactly as if they had come in order.
    @Test func oldPageLastPushesAfterTheNewPageWithinTheWindow() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 10)
        for second in 11...100 { s.push("agent_alert", "CHECK-FOR-CALL COMPLETE: 1", at: Int64(second)) }
        let paused = s.event("state_paused", at: 101)
        let loggedOut = s.event("logged_out", "CLOSE", at: 102)
        s.nextCounter = 0
        let open = s.event("ingroup_screen_open", at: 104)
        let login = s.event("logged_in", at: 105)
        #expect(s.deliver(open, receivedAt: s.time(105)) == .held)
        #expect(s.deliver(loggedOut, receivedAt: s.time(105.1)) == .held)
        #expect(s.deliver(login, receivedAt: s.time(105.2)) == .held)
        #expect(s.deliver(paused, receivedAt: s.time(105.3)) == .applied)
        #expect(s.record.state == nil)
        s.ledger.advance(to: s.time(106))
        #expect(s.record.state == .pause)
        #expect(s.seconds(at: 110) == states(pause: 10 + 1 + 5, wait: 91))
        #expect(s.record.logouts == ["CLOSE": 1])
        #expect(s.ledger.statistics.late == 0)
    }

    /// The old page's logged_out CLOSE arriving after the new page was switched to: it is
    /// counted but must not end the new session.
    @Test func oldPageStragglerAfterReloadIsLate() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 10)
        for second in 11...100 { s.push("agent_alert", "CHECK-FOR-CALL COMPLETE: 1", at: Int64(second)) }
        let paused = s.event("state_paused", at: 101)
        let loggedOut = s.event("logged_out", "CLOSE", at: 101)
        s.nextCounter = 0
        s.push("ingroup_screen_open", at: 103)
        s.push("ingroup_screen_closed", at: 103)
        s.push("logged_in", at: 104)
        #expect(s.deliver(paused, receivedAt: s.time(104.2)) == .late)
        #expect(s.deliver(loggedOut, receivedAt: s.time(104.3)) == .late)
        #expect(s.record.state == .pause)
        #expect(s.record.logouts == ["CLOSE": 1])
        #expect(s.record.logins == 2)
        #expect(s.seconds(at: 110) == states(pause: 10 + 6, wait: 94))
    }

    /// Relay truncation drops counter and epoch: such an event is applied on arrival, at its
    /// receive time moved onto the agent's epoch clock.
    @Test func eventWithoutCounterOrEpochInAStampedStream() {
        var s = LedgerScript()
        s.latency = 0.5
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 10)
        let truncated = AgentEvent(user: s.user, event: .known(.statePaused), message: "PAUSED")
        #expect(s.deliver(truncated, receivedAt: s.time(40.5)) == .applied)
        s.push("state_ready", at: 60)
        #expect(s.seconds(at: 100.5) == states(pause: 10 + 20, wait: 30 + 40))
    }

    @Test func eventWithCounterButNoEpoch() {
        var s = LedgerScript()
        s.latency = 2
        s.push("state_ready", at: 0)
        var paused = s.event("state_paused", at: 0)
        paused.epoch = nil
        #expect(s.deliver(paused, receivedAt: s.time(32)) == .applied)
        #expect(s.seconds(at: 42) == states(pause: 10, wait: 30))
    }

    @Test func counterGapHeldAndThenSkipped() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.nextCounter += 3  // three pushes lost
        #expect(s.push("call_answered", at: 10) == .held)
        #expect(s.seconds(at: 10.5) == states())  // nothing is accounted while the gap is open
        #expect(s.record.state == .wait)
        #expect(s.seconds(at: 11) == states(wait: 10, talk: 1))
        #expect(s.record.state == .talk)
    }

    /// While an event is held, a scrape accounts nothing for the agent: the missing push may end
    /// the running state earlier, and what a scrape reports is final.
    @Test func heldEventPausesAccrual() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.latency = 0.2
        let gap = s.event("call_answered", at: 10)
        let early = s.event("agent_hangup", at: 20)
        #expect(s.deliver(early, receivedAt: s.time(20.2)) == .held)
        #expect(s.seconds(at: 20.9) == states())
        #expect(s.deliver(gap, receivedAt: s.time(21)) == .applied)
        #expect(s.seconds(at: 21) == states(wait: 10, talk: 10, dispo: 1))
    }

    /// Two page loads within one reorder window (a burst of reloads, two tabs): the first new page
    /// is switched to at once and the second announces itself. This sequence used to trap.
    @Test func twoPageLoadsWithinOneWindow() {
        var s = LedgerScript()
        s.push("ingroup_screen_open", at: 0)
        s.push("ingroup_screen_closed", at: 0)
        s.push("logged_in", at: 0)
        s.push("logged_out", "CLOSE", at: 1)
        s.nextCounter = 0
        #expect(s.deliver(s.event("ingroup_screen_open", at: 2), receivedAt: s.time(2)) == .held)
        s.nextCounter = 0
        #expect(s.deliver(s.event("territory_screen_open", at: 2), receivedAt: s.time(2.5)) == .held)
        #expect(s.deliver(s.event("ingroup_screen_closed", at: 4), receivedAt: s.time(4)) == .applied)
        #expect(s.push("logged_in", at: 10) == .applied)
        #expect(s.push("state_ready", at: 20) == .applied)
        #expect(s.seconds(at: 30) == states(pause: 1 + 10, wait: 10))
        #expect(s.record.logins == 2)
        #expect(s.ledger.statistics.late == 0)
    }
}
