import AgentLedger
import Testing

@testable import Storage

/// `check` and `backfill` read a storage directory beside the exporter that owns it: they take
/// no lock and change no byte, even where a start would repair.
@Suite struct ReadOnlyDirectoryTests {
    let stream = RecordStreams.contactCenter(seed: 5, agents: 4, span: 900)

    @Test func readingOnlyRecoversTheSameLedgerAndChangesNothing() throws {
        let fixture = StorageFixture()
        let half = try fixture.journalWithTwoSnapshots(stream)
        // A corrupt newest snapshot and a torn tail: a start would rename the one and cut the other.
        var newest = fixture.bytes("snapshot-00000003")
        newest[newest.count / 2] ^= 0x01
        fixture.write(newest, to: "snapshot-00000003")
        let segment = fixture.bytes("journal-00000002")
        fixture.write(Array(segment.dropLast(3)), to: "journal-00000002")
        let before = fixture.files().map { ($0, fixture.bytes($0)) }

        let directory = try StorageDirectory(readingOnly: fixture.path)
        #expect(!directory.isWritable)
        let (ledger, report) = try directory.recover(configuration: LedgerConfiguration())
        #expect(ledger == StorageFixture.ledger(stream.dropLast()))
        #expect(report.snapshotSegment == 2)
        #expect(report.rejectedSnapshots == ["snapshot-00000003: checksum mismatch"])
        #expect(report.damage.map(\.reason) == ["torn"])
        #expect(report.recordsReplayed == stream.count - half - 1)
        let after = fixture.files().map { ($0, fixture.bytes($0)) }
        #expect(after.map(\.0) == before.map(\.0))
        #expect(zip(after, before).allSatisfy { $0.1 == $1.1 })
    }

    @Test func theLockOfARunningExporterIsSeenNotTaken() throws {
        let fixture = StorageFixture()
        var owner: StorageDirectory? = try fixture.open()
        let reader = try StorageDirectory(readingOnly: fixture.path)
        #expect(try reader.isLockedByAnotherProcess())
        owner = nil
        #expect(owner == nil)
        #expect(try !reader.isLockedByAnotherProcess())
        // The reader's probe released the lock again: an exporter can still start.
        #expect(try fixture.open().isWritable)
    }

    @Test func aMissingDirectoryIsRefusedNotCreated() throws {
        let fixture = StorageFixture()
        #expect(throws: StorageRefusal.self) { try StorageDirectory(readingOnly: fixture.path + "/absent") }
        #expect(fixture.files() == [])
    }
}
