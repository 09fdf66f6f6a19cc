import AgentEvents
import Foundation
import Testing
@testable import AgentLedger

/// Values at and beyond the ends of their ranges reach the ledger without trapping, and are
/// accounted exactly. The decoder already refuses numbers beyond `NumericField`'s ranges; the
/// ledger must hold up even for a caller that builds such events itself.
@Suite struct EdgeValueTests {
    static let maxCounter = Int(NumericField.counter.maximum)

    @Test(arguments: [Int.max, Int.max - 1, Int.min, -1, maxCounter + 1])
    func counterOutsideTheRangeIsTreatedAsAbsent(_ counter: Int) {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        let event = AgentEvent(user: s.user, event: .known(.stateReady), counter: counter, epoch: LedgerScript.start + 10)
        #expect(s.deliver(event, receivedAt: s.time(10)) == .applied)
        #expect(s.deliver(event, receivedAt: s.time(11)) == .applied)  // no counter: no duplicate detection
        #expect(s.seconds(at: 20) == states(pause: 10, wait: 10))
    }

    @Test func counterAtTheTopOfItsRangeThenTheNext() {
        var s = LedgerScript()
        s.nextCounter = Self.maxCounter - 1
        #expect(s.push("logged_in", at: 0) == .applied)
        #expect(s.push("state_ready", at: 10) == .applied)
        #expect(s.record.state == .wait)
        #expect(s.seconds(at: 30) == states(pause: 10, wait: 20))
    }

    /// Counter 0, then the largest counter: held for the gap, released by a scrape after the window.
    @Test func largestCounterHeldAfterZeroThenReleasedByAScrape() {
        var s = LedgerScript()
        #expect(s.push("logged_in", at: 0) == .applied)
        s.nextCounter = Self.maxCounter
        #expect(s.push("state_ready", at: 10) == .held)
        s.ledger.advance(to: s.time(12))
        #expect(s.record.state == .wait)
        #expect(s.seconds(at: 20) == states(pause: 10, wait: 10))
        // The next page load starts again at 0: a new page, not a trap.
        s.nextCounter = 0
        #expect(s.push("logged_in", at: 30) == .held)
        s.ledger.advance(to: s.time(32))
        #expect(s.record.logins == 2)
    }

    @Test(arguments: [Int64.max, Int64.min, 0, -1, 4_294_967_296])
    func epochAnywhereFallsBackToTheReceiveTime(_ epoch: Int64) {
        var ledger = AgentLedger()
        let now = 1_764_000_000.0
        _ = ledger.ingest(AgentEvent(user: "a", event: .known(.loggedIn), counter: 0, epoch: epoch), receivedAt: now)
        _ = ledger.ingest(AgentEvent(user: "a", event: .known(.stateReady), counter: 1, epoch: epoch), receivedAt: now + 30)
        ledger.advance(to: now + 40)
        #expect(ledger.agent("a")?.account.stateSeconds == [30, 10, 0, 0, 0])
    }

    /// Held events are capped: pushes beyond a gap release the oldest early, so an agent's
    /// memory stays bounded even if the gap never fills within the window.
    @Test func heldEventsAreCapped() {
        var s = LedgerScript(configuration: LedgerConfiguration(reorderWindow: 150))
        s.push("logged_in", at: 0)
        s.nextCounter += 1  // counter 1 never arrives
        for second in 1...PageSequence.maxHeld {
            #expect(s.push("agent_alert", "x", at: Int64(second)) == .held)
        }
        #expect(s.heldCount == PageSequence.maxHeld)
        #expect(s.count(.agentAlert) == 0)
        // One more gives the gap up long before the 150 s window: all of them apply, in order.
        #expect(s.push("agent_alert", "x", at: 40) == .applied)
        #expect(s.heldCount == 0)
        #expect(s.count(.agentAlert) == UInt64(PageSequence.maxHeld) + 1)
        #expect(s.ledger.statistics.reordered == UInt64(PageSequence.maxHeld))
    }

    /// A newer page's waiting events are capped too: one more switches to the new page at once.
    @Test func pendingPageEventsAreCapped() {
        var s = LedgerScript(configuration: LedgerConfiguration(reorderWindow: 150))
        s.nextCounter = 50
        s.push("logged_in", at: 0)
        s.nextCounter = 0
        for second in 1...40 {
            s.push("agent_alert", "x", at: Int64(second))
        }
        // The 33rd waiting event switched pages: counters 0...32 applied, 33...39 in order after them.
        #expect(s.heldCount == 0)
        #expect(s.count(.agentAlert) == 40)
        #expect(s.record.logins == 1)
    }

    /// What the ledger keeps of a push does not depend on its message: a 1 KiB message leaves
    /// only its fingerprint behind, so an agent's held and recent events take the same room.
    @Test func longMessagesAreNotKept() throws {
        var short = LedgerScript()
        var long = LedgerScript()
        for script in [0, 1] {
            let message = script == 0 ? "x" : String(repeating: "é", count: 1024)
            var s = script == 0 ? short : long
            s.push("logged_in", at: 0)
            s.nextCounter += 1
            for second in 1...20 { s.push("agent_alert", message, at: Int64(second)) }
            if script == 0 { short = s } else { long = s }
        }
        let shortSize = try JSONEncoder().encode(short.ledger).count
        let longSize = try JSONEncoder().encode(long.ledger).count
        // Only the fingerprints' decimal digits may differ (at most 20 per remembered push).
        #expect(abs(shortSize - longSize) <= 20 * 21 * 2)
        #expect(longSize < 20_000)
    }

    @Test func duplicateDetectionStillSeesTheWholeMessage() {
        var s = LedgerScript()
        s.nextCounter = 20
        let first = s.event("dispo_set", String(repeating: "a", count: 1000) + "1", at: 5)
        var second = first
        second.message = String(repeating: "a", count: 1000) + "2"
        #expect(s.deliver(first, receivedAt: s.time(5)) == .applied)
        #expect(s.deliver(first, receivedAt: s.time(6)) == .duplicate)
        #expect(s.deliver(second, receivedAt: s.time(6)) == .late)
    }
}
