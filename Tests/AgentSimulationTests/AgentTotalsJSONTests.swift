import AgentSimulation
import Foundation
import Testing

/// The JSON a comparing test reads.
@Suite struct AgentTotalsJSONTests {
    @Test func totalsEncodeWithTheDocumentedKeys() throws {
        var totals = AgentTotals()
        totals.stateSeconds.pause = 138
        totals.stateSeconds.wait = 69
        totals.stateSeconds.talk = 336
        totals.stateSeconds.dead = 10
        totals.stateSeconds.dispo = 70
        totals.calls = 3
        totals.dispositions = ["SALE": 1, "NI": 1]
        totals.logins = 2
        totals.logouts = ["CLOSE": 1, "NORMAL": 1]
        totals.events = ["logged_in": 2]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(
            String(decoding: try encoder.encode(totals), as: UTF8.self)
                == #"{"calls":3,"dispositions":{"NI":1,"SALE":1},"events":{"logged_in":2},"logins":2,"logouts":{"CLOSE":1,"NORMAL":1},"#
                + #""state_seconds":{"dead":10,"dispo":70,"pause":138,"talk":336,"wait":69}}"#)
        #expect(try JSONDecoder().decode(AgentTotals.self, from: encoder.encode(totals)) == totals)
    }
}
