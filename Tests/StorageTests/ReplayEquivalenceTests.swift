import AgentEvents
import AgentLedger
import Testing

@testable import Storage

/// ledger(stream) == restore(snapshot(ledger(prefix))) + replay(rest), at every split point:
/// a restart anywhere, from a snapshot and the journal after it, gives the ledger an
/// uninterrupted run has.
@Suite struct ReplayEquivalenceTests {
    static func apply(_ records: some Sequence<JournalRecord>, to ledger: inout AgentLedger) {
        for record in records { ledger.apply(record) }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func snapshotThenReplayEqualsUninterrupted(seed: UInt64) throws {
        let stream = RecordStreams.contactCenter(seed: seed, agents: 4, span: 1_800)
        var whole = AgentLedger()
        Self.apply(stream, to: &whole)
        // The stream exercises what a snapshot must carry beyond totals: events held for a
        // counter gap, and recent fingerprints that recognise repeats.
        #expect(whole.statistics.accepted > 500)
        #expect(whole.statistics.reordered > 0)
        #expect(whole.statistics.duplicates > 0)

        var prefix = AgentLedger()
        for split in 0...stream.count {
            let snapshot = SnapshotFile.encode(prefix, before: UInt64(split))
            var restored = try SnapshotFile.decode(snapshot).ledger
            #expect(restored == prefix, "snapshot at \(split) restores a different ledger")
            // The rest goes through the journal's encoding, as a restart replays it.
            Self.apply(stream[split...].map { JournalRecord(decoding: $0.encoded[...])! }, to: &restored)
            #expect(restored == whole, "split at \(split) of \(stream.count)")
            if split < stream.count { Self.apply([stream[split]], to: &prefix) }
            if restored != whole { break }
        }
    }

    @Test func edgeValuesSurviveASnapshot() throws {
        var ledger = AgentLedger()
        Self.apply(RecordStreams.edgeEvents(), to: &ledger)
        let restored = try SnapshotFile.decode(SnapshotFile.encode(ledger, before: 9))
        #expect(restored.ledger == ledger)
        #expect(restored.segment == 9)
    }
}
