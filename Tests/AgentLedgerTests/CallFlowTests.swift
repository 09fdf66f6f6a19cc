import AgentEvents
import Testing
@testable import AgentLedger

/// The call flows of the agent screen, each checked to the second against the rules of docs/accounting.md.
@Suite struct CallFlowTests {
    @Test func autoDialCallSplitsLoginIntoEveryState() {
        var s = LedgerScript()
        s.push("logged_in", "8600051 10.0.0.5 2.14-917a 250326-1000 ", at: 0)
        s.push("state_ready", "READY", at: 100)
        s.push("call_answered", "M1234567890", at: 130)
        s.push("call_dead", "M1234567890", at: 170)
        s.push("agent_hangup", at: 190)
        s.push("dispo_screen_open", at: 191)
        s.push("dispo_set", "SALE", at: 200)
        s.push("state_ready", "READY", at: 205)
        s.push("logged_out", "NORMAL", at: 300)

        #expect(s.seconds() == states(pause: 105, wait: 125, talk: 40, dead: 20, dispo: 10))
        #expect(s.record.calls == 1)
        #expect(s.record.logins == 1)
        #expect(s.record.logouts == ["NORMAL": 1])
        #expect(s.record.dispositions == ["SALE": 1])
        #expect(s.record.state == nil)
        #expect(s.ledger.histograms.callDuration.count == 1)
        #expect(s.ledger.histograms.callDuration.sum == 60)
        #expect(s.ledger.histograms.dispoDuration.sum == 10)
        #expect(s.ledger.histograms.pauseDuration.count == 2)
        #expect(s.ledger.histograms.pauseDuration.sum == 105)
        // Logged out: nothing accrues afterwards.
        #expect(s.seconds(at: 5000) == states(pause: 105, wait: 125, talk: 40, dead: 20, dispo: 10))
    }

    /// agent_hangup never comes after customer_gone, a blind or local-closer transfer, or leaving
    /// a 3-way call: TALK ends at whichever listed event comes first.
    @Test(arguments: ["transfer_blind", "transfer_local_closer", "3way_agent_leave", "dispo_screen_open"])
    func talkEndsWithoutAgentHangup(ending: String) {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 10)
        s.push(ending, "8300", at: 70)
        if ending != "dispo_screen_open" { s.push("dispo_screen_open", at: 71) }
        s.push("dispo_set", "XFER", at: 80)
        s.push("state_ready", at: 80)
        #expect(s.seconds(at: 90) == states(wait: 20, talk: 60, dispo: 10))
        #expect(s.ledger.histograms.callDuration.sum == 60)
    }

    @Test func customerGoneThenDispoScreen() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 5)
        s.push("call_dead", at: 65)
        s.push("customer_gone", at: 66)
        s.push("dispo_screen_open", at: 80)
        s.push("dispo_set", "NI", at: 84)
        #expect(s.seconds(at: 84) == states(wait: 5, talk: 60, dead: 15, dispo: 4))
        #expect(s.record.state == .pause)
    }

    @Test func hotkeyDispositionEndsTalkWithNoDispoTime() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 10)
        s.push("dispo_set", "A", at: 40)
        #expect(s.seconds(at: 50) == states(pause: 10, wait: 10, talk: 30))
        #expect(s.ledger.histograms.dispoDuration.count == 0)
    }

    /// "Pause after each call": state_paused fires before dispo_set, which waits for the server;
    /// DISPO runs on until dispo_set and the agent is paused from there.
    @Test func pauseAfterCallKeepsDispoUntilDispoSet() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 0)
        s.push("agent_hangup", at: 60)
        s.push("dispo_screen_open", at: 61)
        s.push("state_paused", "PAUSED", at: 70)
        s.push("dispo_set", "CALLBK", at: 72)
        s.push("state_ready", at: 100)
        #expect(s.seconds(at: 100) == states(pause: 28, talk: 60, dispo: 12))
    }

    /// MANUAL campaigns fire no state event after dispo_set: the agent stays paused.
    @Test func manualDialCountsRingingAsTalk() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("manual_dial_open", at: 20)
        s.push("call_dialed", "3125551234 MANUAL_DIALNOW", at: 25)
        s.push("call_answered", "M2", at: 26)
        s.push("agent_hangup", at: 86)
        s.push("dispo_screen_open", at: 87)
        s.push("dispo_set", "B", at: 95)
        #expect(s.seconds(at: 200) == states(pause: 26 + 105, talk: 60, dispo: 9))
        #expect(s.record.calls == 1)
    }

    @Test func rejectedManualCallStillAnswers() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("call_dialed", "3125551234", at: 10)
        s.push("agent_alert", "Call Rejected", at: 12)
        s.push("call_answered", at: 12)
        s.push("dispo_screen_open", at: 15)
        #expect(s.seconds(at: 20) == states(pause: 12, talk: 3, dispo: 5))
    }

    @Test func logoutDuringDispoEndsDispoWithoutDisposition() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 10)
        s.push("dispo_screen_open", at: 70)
        s.push("logged_out", "NORMAL", at: 100)
        #expect(s.seconds(at: 500) == states(wait: 10, talk: 60, dispo: 30))
        #expect(s.record.dispositions.isEmpty)
        #expect(s.ledger.histograms.dispoDuration.sum == 30)
    }

    @Test func otherAnsweredStartsTalkLikeACall() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("other_answered", "EMAIL", at: 30)
        s.push("dispo_screen_open", at: 90)
        #expect(s.seconds(at: 95) == states(wait: 30, talk: 60, dispo: 5))
        #expect(s.record.calls == 1)
    }

    @Test func parkDoesNotStopTalk() {
        var s = LedgerScript()
        s.push("state_ready", at: 0)
        s.push("call_answered", at: 0)
        s.push("park_started", at: 20)
        s.push("park_retrieved", at: 50)
        s.push("agent_hangup", at: 80)
        #expect(s.seconds(at: 80) == states(talk: 80))
    }

    @Test func dispoSetTwiceNeverCountsASecondDisposition() {
        var s = LedgerScript()
        s.push("call_answered", at: 0)
        s.push("dispo_set", "SALE", at: 30)
        s.push("dispo_set_twice", at: 31)
        #expect(s.record.dispositions == ["SALE": 1])
        #expect(s.count(.dispoSetTwice) == 1)
        #expect(s.count(.dispoSet) == 1)
    }

    @Test func loggedOutCompleteAloneEndsTheSession() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("logged_out_complete", "NORMAL", at: 50)
        #expect(s.seconds(at: 100) == states(pause: 50))
        #expect(s.record.logouts == ["NORMAL": 1])
        #expect(s.record.state == nil)
    }

    @Test func loggedOutCompleteAfterLoggedOutCountsOneLogout() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("logged_out", "CLOSE", at: 50)
        s.push("logged_out_complete", "CLOSE", at: 51)
        #expect(s.record.logouts == ["CLOSE": 1])
        #expect(s.seconds(at: 100) == states(pause: 50))
    }

    @Test(arguments: [
        ("NORMAL", "NORMAL"), ("CLOSE", "CLOSE"), ("API", "API"), ("SHIFT", "SHIFT"),
        ("READY_TIMEOUT", "READY_TIMEOUT"), ("TIMEOUT", "TIMEOUT"), ("timeout", "TIMEOUT"),
        ("", "other"), ("SOMETHING NEW", "other"),
    ])
    func logoutsCountedByReason(message: String, reason: String) {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("logged_out", message, at: 10)
        #expect(s.record.logouts == [reason: 1])
    }

    /// A browser close or reload sends state_paused then logged_out CLOSE; the new page logs in again.
    @Test func reloadWithoutLogoutStartsANewSession() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 10)
        s.nextCounter = 0
        s.push("logged_in", at: 40)
        #expect(s.seconds(at: 60) == states(pause: 10 + 20, wait: 30))
        #expect(s.record.logins == 2)
        #expect(s.record.logouts.isEmpty)
    }

    @Test func everyEventIsCountedByType() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        for second in 1...5 { s.push("agent_alert", "CHECK-FOR-CALL COMPLETE: \(second)", at: Int64(second)) }
        #expect(s.count(.agentAlert) == 5)
        #expect(s.count(.loggedIn) == 1)
        #expect(s.count(.callAnswered) == 0)
    }
}
