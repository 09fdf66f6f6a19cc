import AgentEvents
import Foundation
import Testing

@testable import AgentLedger

/// Pause seconds by pause code (docs/accounting.md, "Pause codes"): each closed pause waits for a
/// poll that began after it closed, then goes to the codes of VICIdial's rows, split at their
/// `pause_epoch`s; every second of pause lands under exactly one code.
@Suite struct PauseCodeTests {
    static let tracking = LedgerConfiguration(tracksPauseCodes: true, pauseCodeWait: 300)

    static func row(_ id: UInt32, at second: Double, _ code: String) -> PauseCodeRow {
        PauseCodeRow(agentLogID: id, pauseEpoch: Double(LedgerScript.start) + second, code: code)
    }

    func codes(_ s: LedgerScript) -> [String: Double] { s.ledger.agent(s.user)!.pauseCodes.seconds }

    /// BREAK chosen 10 s into the pause, LUNCH from second 40 (VICIdial's new row), READY at 100:
    /// the first row's whole part goes to its final code, as the Agent Time Detail report does.
    @Test func aPauseSplitAtEachRowGoesToTheRowsCodes() {
        var s = LedgerScript(configuration: Self.tracking)
        s.push("logged_in", at: 0)
        s.ledger.learnPauseCodes([s.user: [Self.row(501, at: 0, "")]], polledAt: s.time(5))
        s.push("pause_code_open", at: 8)
        #expect(codes(s) == [:])
        s.ledger.learnPauseCodes([s.user: [Self.row(501, at: 0, "BREAK")]], polledAt: s.time(15))
        // Open: the 8 s the pause state has counted go to the code recorded for them.
        #expect(codes(s) == ["BREAK": 8])
        s.ledger.advance(to: s.time(45))
        s.ledger.learnPauseCodes([s.user: [Self.row(501, at: 0, "BREAK"), Self.row(502, at: 40, "LUNCH")]], polledAt: s.time(45))
        #expect(codes(s) == ["BREAK": 40, "LUNCH": 5])
        s.push("state_ready", at: 100)
        s.ledger.learnPauseCodes([s.user: []], polledAt: s.time(99))
        #expect(codes(s) == ["BREAK": 40, "LUNCH": 5], "a poll that began before the close does not decide the rest")
        s.ledger.learnPauseCodes([s.user: []], polledAt: s.time(102))
        #expect(codes(s) == ["BREAK": 40, "LUNCH": 60])
        #expect(s.seconds(at: 110)[.pause] == 100)
        #expect(s.ledger.agent(s.user)!.pauseCodes.rows.isEmpty, "rows go once no pause needs them")
    }

    /// While the pause's row has no code yet, none of it is attributed: VICIdial puts the whole
    /// row under the code picked later, and so does the exporter once it is recorded.
    @Test func anOpenPauseWaitsForItsRowsCode() {
        var s = LedgerScript(configuration: Self.tracking)
        s.push("logged_in", at: 0)
        s.ledger.advance(to: s.time(20))
        s.ledger.learnPauseCodes([s.user: [Self.row(501, at: 0, "")]], polledAt: s.time(20))
        #expect(codes(s) == [:])
        s.ledger.advance(to: s.time(30))
        s.ledger.learnPauseCodes([s.user: [Self.row(501, at: 0, "TRAIN")]], polledAt: s.time(30))
        #expect(codes(s) == ["TRAIN": 30])
        #expect(s.seconds()[.pause] == 30)
    }

    @Test func aPauseWithoutACodeAndOneNeverLearned() {
        var s = LedgerScript(configuration: Self.tracking)
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 30)
        s.ledger.learnPauseCodes([s.user: [Self.row(700, at: 0, "")]], polledAt: s.time(31))
        #expect(codes(s) == ["no_code": 30])

        // The database does not answer: after pauseCodeWait the pause goes to `unknown`.
        s.push("state_paused", at: 50)
        s.push("state_ready", at: 80)
        s.ledger.advance(to: s.time(80 + 299))
        #expect(codes(s) == ["no_code": 30])
        s.ledger.advance(to: s.time(80 + 300))
        #expect(codes(s) == ["no_code": 30, "unknown": 30])
        #expect(s.seconds()[.pause] == 60)
    }

    /// A row VICIdial stamped a second after the pushes' pause began still covers its start.
    @Test func aRowStartingJustAfterThePauseCoversItsStart() {
        var s = LedgerScript(configuration: Self.tracking)
        s.push("logged_in", at: 0)
        s.push("state_ready", at: 20)
        s.push("state_paused", at: 50)
        s.ledger.learnPauseCodes([s.user: [Self.row(801, at: 51, "TRAIN")]], polledAt: s.time(53))
        s.push("state_ready", at: 90)
        s.ledger.learnPauseCodes([s.user: []], polledAt: s.time(91))
        // The login pause had no row while it was open and none since: unknown.
        #expect(codes(s) == ["unknown": 20, "TRAIN": 40])
    }

    @Test func codesBeyondTheCapCountAsOther() {
        var s = LedgerScript(configuration: LedgerConfiguration(maxStatusValues: 1, tracksPauseCodes: true))
        s.push("logged_in", at: 0)
        s.ledger.learnPauseCodes(
            [s.user: [Self.row(1, at: 0, "BREAK"), Self.row(2, at: 10, "LUNCH"), Self.row(3, at: 20, "bad code!")]],
            polledAt: s.time(21))
        s.push("state_ready", at: 30)
        s.ledger.learnPauseCodes([s.user: []], polledAt: s.time(31))
        #expect(codes(s) == ["BREAK": 10, "other": 20])
        #expect(s.ledger.statistics.labelOverflows.pauseCode == 1, "LUNCH overflowed; an implausible code is other without counting")
    }

    @Test func withoutTrackingNothingIsKept() {
        var s = LedgerScript()
        s.push("logged_in", at: 0)
        s.ledger.learnPauseCodes([s.user: [Self.row(1, at: 0, "BREAK")]], polledAt: s.time(1))
        s.push("state_ready", at: 30)
        s.ledger.learnPauseCodes([s.user: []], polledAt: s.time(31))
        #expect(s.ledger.agent(s.user)!.pauseCodes == PauseCodeBook())
    }

    @Test func learningAboutUntrackedUsersChangesNothing() {
        var s = LedgerScript(configuration: Self.tracking)
        s.push("logged_in", at: 0)
        let before = s.ledger
        s.ledger.learnPauseCodes(["someone-else": [Self.row(1, at: 0, "BREAK")]], polledAt: s.time(1))
        #expect(s.ledger == before)
    }

    @Test func theBookSurvivesASnapshot() throws {
        var s = LedgerScript(configuration: Self.tracking)
        s.push("logged_in", at: 0)
        s.ledger.learnPauseCodes([s.user: [Self.row(501, at: 0, "BREAK")]], polledAt: s.time(5))
        s.push("state_ready", at: 60)
        s.ledger.learnPauseCodes([s.user: []], polledAt: s.time(61))
        s.push("state_paused", at: 70)
        s.ledger.learnPauseCodes([s.user: [Self.row(502, at: 70, "LUNCH")]], polledAt: s.time(72))
        s.push("state_ready", at: 100)
        let restored = try JSONDecoder().decode(AgentLedger.self, from: JSONEncoder().encode(s.ledger))
        #expect(restored == s.ledger)
        var continued = s
        continued.ledger = restored
        continued.ledger.learnPauseCodes([s.user: []], polledAt: s.time(101))
        #expect(codes(continued) == ["BREAK": 60, "LUNCH": 30])
    }
}
