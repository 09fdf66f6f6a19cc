import AgentEvents
import Foundation
import Testing
@testable import AgentLedger

/// Snapshots written before the ledger was split into stream and account stages (and before
/// lazy advances) still restore, to the same numbers the old ledger gave.
@Suite struct SnapshotCompatibilityTests {
    /// Written by the fused ledger (commit 3a58ff2) after: agent 6666 logged in at 0, ready at 10,
    /// a call 20-80, SALE at 85, an unknown coffee_break, a scrape at 90, then a push with a
    /// counter gap (held); agent b"x logged in 50-70.
    static let fusedLedgerJSON = #"""
{"agents":{"6666":{"calls":1,"clock":1764000090,"clockOffset":{"nextSlot":7,"samples":[0,0,0,0,0,0,0]},"dispositions":{"SALE":1},"intervalStart":1764000085,"knownEventCounts":[1,0,0,1,0,0,1,0,0,0,0,0,0,1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"lastEventTime":1764000096,"lastReceivedAt":1764000096,"logins":1,"logouts":{},"sequence":{"page":{"firstEpoch":1764000000,"held":[{"epochTrusted":true,"event":{"counter":7,"detail":"","epoch":1764000096,"event":{"known":{"_0":"state_ready"}},"fingerprint":9311832785535797929},"receivedAt":1764000096,"time":1764000096}],"highest":7,"lastEpoch":1764000086,"next":6,"recent":[278638297884615941,8494471155457339901,16543724403418510505,13556593839917345919,6999378318857413557,17768579214629569562,0,9311832785535797929,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"skipped":[]}},"state":"pause","stateSeconds":[15,10,60,0,5],"stateSince":1764000085,"unknownEventCounts":{"coffee_break":1},"user":"6666"},"b\"x":{"calls":0,"clock":1764000070,"clockOffset":{"nextSlot":2,"samples":[0,0]},"dispositions":{},"knownEventCounts":[1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"lastEventTime":1764000070,"lastReceivedAt":1764000070,"logins":1,"logouts":{"NORMAL":1},"sequence":{"page":{"firstEpoch":1764000050,"held":[],"highest":1,"lastEpoch":1764000070,"next":2,"recent":[10320602301990538251,9196714827530864610,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"skipped":[]}},"stateSeconds":[20,0,0,0,0],"unknownEventCounts":{},"user":"b\"x"}},"configuration":{"expireAfter":604800,"maxAgents":10000,"maxClockSkew":3600,"maxStatusValues":256,"maxUnknownEventNames":64,"reorderWindow":1,"sessionTimeout":43200},"histograms":{"callDuration":{"bucketCounts":[0,0,0,0,1,0,0,0,0,0,0,0,0],"count":1,"sum":60,"upperBounds":[5,10,20,30,60,120,180,300,600,900,1800,3600]},"dispoDuration":{"bucketCounts":[0,0,1,0,0,0,0,0,0,0,0],"count":1,"sum":5,"upperBounds":[1,2,5,10,15,30,60,120,300,600]},"pauseDuration":{"bucketCounts":[0,1,1,0,0,0,0,0,0,0,0,0],"count":2,"sum":30,"upperBounds":[5,15,30,60,120,300,600,900,1800,3600,7200]}},"statistics":{"accepted":9,"agentsExpired":0,"duplicates":0,"labelOverflows":{"status":0,"unknownEvent":0},"late":0,"refusedTooManyAgents":0,"reordered":0,"sessionsClosedOut":0},"statusValues":["SALE"],"unknownEventNames":["coffee_break"]}
"""#

    @Test func aSnapshotOfTheFusedLedgerRestoresToTheSameNumbers() throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        var ledger = try decoder.decode(AgentLedger.self, from: Data(Self.fusedLedgerJSON.utf8))
        #expect(ledger.agent("6666")?.stream.sequence.heldCount == 1)
        // What the fused ledger reported after the same advance.
        ledger.advance(to: 1_764_000_200)
        let agent = try #require(ledger.agent("6666")).account
        #expect(agent.state == .wait)
        #expect(agent.stateSince == 1_764_000_096)
        #expect(agent.stateSeconds == [21, 114, 60, 0, 5])
        #expect(agent.calls == 1 && agent.logins == 1 && agent.logouts == [:])
        #expect(agent.dispositions == ["SALE": 1])
        #expect(agent.unknownEventCounts == ["coffee_break": 1])
        #expect(agent.knownEventCounts[KnownEvent.stateReady.ordinal] == 2)
        #expect(ledger.agent("6666")?.lastEventTime == 1_764_000_096)
        let other = try #require(ledger.agent("b\"x")).account
        #expect(other.state == nil)
        #expect(other.stateSeconds == [20, 0, 0, 0, 0])
        #expect(other.logouts == ["NORMAL": 1])
        #expect(ledger.statistics.accepted == 9 && ledger.statistics.reordered == 1)
        #expect(ledger.histograms.callDuration.count == 1)
        #expect(ledger.histograms.pauseDuration.count == 3 && ledger.histograms.pauseDuration.sum == 41)
        #expect(ledger.histograms.dispoDuration.count == 1)
    }
}
