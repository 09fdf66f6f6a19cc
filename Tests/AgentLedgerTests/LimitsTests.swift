import AgentEvents
import Foundation
import Testing
@testable import AgentLedger

/// Bounds that keep memory and series counts flat under bad or hostile input, and the
/// session timeout and expiry of silent agents.
@Suite struct LimitsTests {
    @Test func newAgentsBeyondTheLimitAreRefused() {
        var ledger = AgentLedger(configuration: LedgerConfiguration(maxAgents: 2))
        for user in ["a", "b"] {
            #expect(ledger.ingest(AgentEvent(user: user, event: .known(.loggedIn)), receivedAt: 10).outcome == .applied)
        }
        #expect(ledger.ingest(AgentEvent(user: "c", event: .known(.loggedIn)), receivedAt: 10).outcome == .refusedTooManyAgents)
        #expect(ledger.ingest(AgentEvent(user: "a", event: .known(.stateReady)), receivedAt: 11).outcome == .applied)
        #expect(ledger.agents.keys.sorted() == ["a", "b"])
    }

    @Test func unknownEventNamesAreCountedAndReportedOnce() {
        var ledger = AgentLedger(configuration: LedgerConfiguration(maxUnknownEventNames: 1))
        let coffee = AgentEvent(user: "a", event: EventName("coffee_break"))
        #expect(ledger.ingest(coffee, receivedAt: 1).newUnknownEventName == "coffee_break")
        #expect(ledger.ingest(coffee, receivedAt: 2).newUnknownEventName == nil)
        #expect(ledger.ingest(AgentEvent(user: "a", event: EventName("lunch")), receivedAt: 3).newUnknownEventName == nil)
        #expect(ledger.agent("a")?.account.unknownEventCounts == ["coffee_break": 2, "other": 1])
        #expect(ledger.agent("a")?.account.state == nil)
        #expect(ledger.statistics.labelOverflows.unknownEvent == 1)
    }

    /// The cap counts distinct statuses across all agents, so a second agent's new status is
    /// `other` too: the label values stay bounded however many agents there are.
    @Test func dispositionStatusesAreBoundedAcrossAgents() {
        var ledger = AgentLedger(configuration: LedgerConfiguration(maxStatusValues: 3))
        for (second, status) in ["SALE", " NI ", "not a status!", "", "DNC", "CALLBK", "SALE"].enumerated() {
            _ = ledger.ingest(AgentEvent(user: "a", event: .known(.dispoSet), message: status), receivedAt: Double(second))
        }
        for (second, status) in ["XFER", "NI", "DNC"].enumerated() {
            _ = ledger.ingest(AgentEvent(user: "b", event: .known(.dispoSet), message: status), receivedAt: Double(10 + second))
        }
        #expect(ledger.agent("a")?.account.dispositions == ["SALE": 2, "NI": 1, "DNC": 1, "other": 3])
        #expect(ledger.agent("b")?.account.dispositions == ["NI": 1, "DNC": 1, "other": 1])
        #expect(ledger.statistics.labelOverflows.status == 2)
    }

    @Test func silentSessionIsClosedOutAndTheAgentLaterExpires() {
        var ledger = AgentLedger(configuration: LedgerConfiguration(sessionTimeout: 100, expireAfter: 1000))
        _ = ledger.ingest(AgentEvent(user: "a", event: .known(.loggedIn), epoch: 1000), receivedAt: 1000)
        ledger.advance(to: 1099)
        #expect(ledger.agent("a")?.account.state == .pause)
        ledger.advance(to: 1100)
        #expect(ledger.agent("a")?.account.state == nil)
        #expect(ledger.agent("a")?.account.stateSeconds[AgentState.pause.index] == 100)
        #expect(ledger.statistics.sessionsClosedOut == 1)
        ledger.advance(to: 1999)
        #expect(ledger.agents["a"] != nil)
        ledger.advance(to: 2000)
        #expect(ledger.agents["a"] == nil)
        #expect(ledger.statistics.agentsExpired == 1)
    }

    @Test func zeroExpiryKeepsAgentsForever() {
        var ledger = AgentLedger(configuration: LedgerConfiguration(sessionTimeout: 10, expireAfter: 0))
        _ = ledger.ingest(AgentEvent(user: "a", event: .known(.loggedIn)), receivedAt: 0)
        ledger.advance(to: 1e9)
        #expect(ledger.agents["a"] != nil)
    }

    /// The journal on the roadmap snapshots and restores the ledger: it must round-trip exactly,
    /// held events and reorder state included.
    @Test func ledgerRoundTripsThroughCodable() throws {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 10)
        s.nextCounter += 1
        #expect(s.push("call_answered", at: 20) == .held)
        let data = try JSONEncoder().encode(s.ledger)
        var restored = try JSONDecoder().decode(AgentLedger.self, from: data)
        #expect(restored == s.ledger)
        restored.advance(to: s.time(30))
        s.ledger.advance(to: s.time(30))
        #expect(restored == s.ledger)
        #expect(restored.agent(s.user)?.account.state == .talk)
    }
}
