import AgentEvents
import Testing
@testable import AgentLedger

/// What a held push is told it waits for: a new or reloaded page's first counters (the screen's
/// normal race), an earlier counter it overtook, or the end of the page before a reload.
@Suite struct HoldReasonTests {
    static func event(_ name: String, counter: Int, at second: Int64) -> AgentEvent {
        AgentEvent(user: "6666", event: EventName(name), message: "", counter: counter, epoch: LedgerScript.start + second)
    }

    static func ingest(_ ledger: inout AgentLedger, _ name: String, counter: Int, at second: Int64) -> AgentLedger.IngestResult {
        ledger.ingest(event(name, counter: counter, at: second), receivedAt: Double(LedgerScript.start + second))
    }

    @Test func aNewAgentsFirstPushAtCounterOneWaitsForThePageStart() {
        var ledger = AgentLedger()
        let first = Self.ingest(&ledger, "logged_in", counter: 1, at: 0)
        #expect(first.outcome == .held)
        #expect(first.holdReason == .pageStart)
        let zero = Self.ingest(&ledger, "update_fields", counter: 0, at: 0)
        #expect(zero.outcome == .applied)
        #expect(zero.holdReason == nil)
    }

    @Test func aPushPastTheFirstCountersWaitsForTheOneItOvertook() {
        var ledger = AgentLedger()
        for counter in 0...9 { _ = Self.ingest(&ledger, "agent_alert", counter: counter, at: Int64(counter)) }
        let ahead = Self.ingest(&ledger, "state_ready", counter: 11, at: 11)
        #expect(ahead.outcome == .held)
        #expect(ahead.holdReason == .earlierCounter)
        let inOrder = Self.ingest(&ledger, "state_paused", counter: 10, at: 11)
        #expect(inOrder.outcome == .applied)
        #expect(inOrder.holdReason == nil)
    }

    @Test func aReloadedScreensFirstPushWaitsForTheOldPagesEnd() {
        var ledger = AgentLedger()
        for counter in 0...20 { _ = Self.ingest(&ledger, "agent_alert", counter: counter, at: Int64(counter)) }
        let reload = Self.ingest(&ledger, "logged_in", counter: 2, at: 30)
        #expect(reload.outcome == .held)
        #expect(reload.holdReason == .pageSwitch)
    }
}
