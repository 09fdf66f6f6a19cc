import AgentLedger
import Testing

@testable import Storage

/// `replayHistory` (for backfill): the most history the directory holds, every record handed
/// over in journal order with the ledger as it was just before it, and nothing changed.
@Suite struct HistoryReplayTests {
    let stream = RecordStreams.contactCenter(seed: 7, agents: 4, span: 1_200)

    /// Journals `stream` in four parts, a snapshot after each of the first three, compacting
    /// with `compacting` (retention 0) or not at all; returns the record count per part.
    func write(in fixture: StorageFixture, compacting: Bool) throws -> [Int] {
        let directory = try fixture.open()
        let journal = try directory.openJournal(after: RecoveryReport(), policy: .never)
        let bounds = [0, stream.count / 4, stream.count / 2, 3 * stream.count / 4, stream.count]
        for part in 0..<4 {
            for record in stream[bounds[part]..<bounds[part + 1]] { _ = try journal.append(record) }
            if part < 3 {
                _ = try directory.writeSnapshot(StorageFixture.ledger(stream[..<bounds[part + 1]]), before: try StorageFixture.rotate(journal))
                if compacting { try directory.compact(now: 0) }
            }
        }
        journal.close()
        return bounds
    }

    /// Replays and checks that each record comes in order with the ledger of the records before it.
    func replayChecked(_ fixture: StorageFixture, from start: Int) throws -> RecoveryReport {
        let directory = try StorageDirectory(readingOnly: fixture.path)
        var expected = StorageFixture.ledger(stream[..<start])
        var position = start
        var mismatches = 0
        let (ledger, report) = try directory.replayHistory(configuration: LedgerConfiguration()) { record, ledger in
            if record != stream[position] || ledger != expected { mismatches += 1 }
            expected.apply(record)
            position += 1
        }
        #expect(mismatches == 0)
        #expect(position == stream.count)
        #expect(ledger == StorageFixture.ledger(stream))
        return report
    }

    @Test func whileSegmentOneIsThereTheHistoryStartsEmptyThere() throws {
        let fixture = StorageFixture()
        _ = try write(in: fixture, compacting: false)
        let report = try replayChecked(fixture, from: 0)
        #expect(report.snapshotSegment == nil)
        #expect(report.segmentsReplayed == 4)
        #expect(report.recordsReplayed == stream.count)
        #expect(report.damage.isEmpty)
    }

    @Test func otherwiseItStartsAtTheOldestReadableSnapshot() throws {
        let fixture = StorageFixture()
        let bounds = try write(in: fixture, compacting: true)
        #expect(fixture.files() == ["journal-00000003", "journal-00000004", "lock", "snapshot-00000003", "snapshot-00000004"])
        let report = try replayChecked(fixture, from: bounds[2])
        #expect(report.snapshotSegment == 3)
        #expect(report.recordsReplayed == stream.count - bounds[2])
    }

    @Test func anUnreadableOldestSnapshotIsPassedOverAndLeftAsItIs() throws {
        let fixture = StorageFixture()
        let bounds = try write(in: fixture, compacting: true)
        var oldest = fixture.bytes("snapshot-00000003")
        oldest[oldest.count / 2] ^= 0x01
        fixture.write(oldest, to: "snapshot-00000003")
        let before = fixture.files().map { fixture.bytes($0) }

        let report = try replayChecked(fixture, from: bounds[3])
        #expect(report.snapshotSegment == 4)
        #expect(report.rejectedSnapshots == ["snapshot-00000003: checksum mismatch"])
        #expect(fixture.files() == ["journal-00000003", "journal-00000004", "lock", "snapshot-00000003", "snapshot-00000004"])
        #expect(fixture.files().map { fixture.bytes($0) } == before)
    }
}
