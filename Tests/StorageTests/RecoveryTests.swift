import AgentLedger
import Testing

@testable import Storage

/// A restart finds what the journal and snapshots hold, and exactly that; damage is cut off at
/// the last good record and reported, never read as data.
@Suite struct RecoveryTests {
    let stream = RecordStreams.contactCenter(seed: 11, agents: 5, span: 1_200)

    /// Writes `records` through a journal on segment `segment` and closes it, as a running exporter would.
    func journal(_ records: some Sequence<JournalRecord>, in fixture: StorageFixture) throws {
        let journal = try fixture.open().openJournal(after: RecoveryReport(), policy: .never)
        for record in records { _ = try journal.append(record) }
        journal.close()
    }

    @Test func anEmptyDirectoryStartsEmpty() throws {
        let fixture = StorageFixture()
        let (ledger, report) = try fixture.recover()
        #expect(ledger == AgentLedger())
        #expect(report == RecoveryReport())
        #expect(fixture.files() == ["lock"])
    }

    @Test func theJournalAloneRebuildsTheLedger() throws {
        let fixture = StorageFixture()
        try journal(stream, in: fixture)
        let (ledger, report) = try fixture.recover()
        #expect(ledger == StorageFixture.ledger(stream))
        #expect(report.recordsReplayed == stream.count)
        #expect(report.segmentsReplayed == 1)
        #expect(report.damage.isEmpty)
        #expect(report.nextSegment == 2)
    }

    @Test func snapshotsCompactAndRecoverTheSame() throws {
        let fixture = StorageFixture()
        do {
            let directory = try fixture.open()
            let journal = try directory.openJournal(after: RecoveryReport(), policy: .never)
            var ledger = AgentLedger()
            let thirds = [stream[..<(stream.count / 3)], stream[(stream.count / 3)..<(2 * stream.count / 3)], stream[(2 * stream.count / 3)...]]
            for third in thirds {
                for record in third { _ = try journal.append(record) }
                ReplayEquivalenceTests.apply(third, to: &ledger)
                let segment = try StorageFixture.rotate(journal)
                _ = try directory.writeSnapshot(ledger, before: segment)
                try directory.compact(now: 0)
            }
            journal.close()
        }
        // Two snapshots kept, and the segments from the older one on.
        #expect(fixture.files() == ["journal-00000003", "journal-00000004", "lock", "snapshot-00000003", "snapshot-00000004"])
        let (recovered, report) = try fixture.recover()
        #expect(recovered == StorageFixture.ledger(stream))
        #expect(report.snapshotSegment == 4)
        #expect(report.recordsReplayed == 0)
        #expect(report.nextSegment == 5)
    }

    @Test func aTornTailIsCutAtTheLastWholeRecord() throws {
        let fixture = StorageFixture()
        try journal(stream, in: fixture)
        let whole = fixture.bytes("journal-00000001")
        let lastLength = RecordFrame.headerSize + stream.last!.encoded.count
        fixture.write(Array(whole.dropLast(lastLength / 2)), to: "journal-00000001")

        let (ledger, report) = try fixture.recover()
        #expect(ledger == StorageFixture.ledger(stream.dropLast()))
        #expect(report.recordsReplayed == stream.count - 1)
        #expect(report.damage == [.init(file: "journal-00000001", keptBytes: whole.count - lastLength, droppedBytes: lastLength - lastLength / 2, reason: "torn")])
        #expect(fixture.bytes("journal-00000001").count == whole.count - lastLength, "the torn record is cut off the file")
        // The next start finds a clean journal.
        #expect(try fixture.recover().1.damage.isEmpty)
    }

    @Test func aFlippedBitMidJournalKeepsWhatCameBefore() throws {
        let fixture = StorageFixture()
        try journal(stream, in: fixture)
        var bytes = fixture.bytes("journal-00000001")
        // The first byte of record number `middle`'s payload.
        let middle = stream.count / 2
        let offset = FileHeader.size + stream[..<middle].reduce(0) { $0 + RecordFrame.headerSize + $1.encoded.count }
        bytes[offset + RecordFrame.headerSize + 3] ^= 0x10
        fixture.write(bytes, to: "journal-00000001")

        let (ledger, report) = try fixture.recover()
        #expect(ledger == StorageFixture.ledger(stream[..<middle]))
        #expect(report.recordsReplayed == middle)
        #expect(report.damage.map(\.reason) == ["checksum"])
        #expect(report.damage.first?.keptBytes == offset)
    }

    @Test func aZeroFilledTailIsDroppedAndEveryRecordKept() throws {
        let fixture = StorageFixture()
        try journal(stream, in: fixture)
        let whole = fixture.bytes("journal-00000001")
        fixture.write(whole + [UInt8](repeating: 0, count: 4_096), to: "journal-00000001")

        let (ledger, report) = try fixture.recover()
        #expect(ledger == StorageFixture.ledger(stream))
        #expect(report.damage == [.init(file: "journal-00000001", keptBytes: whole.count, droppedBytes: 4_096, reason: "zero_filled")])
    }

    @Test func aCorruptNewestSnapshotFallsBackToThePreviousOne() throws {
        let fixture = StorageFixture()
        let half = try fixture.journalWithTwoSnapshots(stream)
        var newest = fixture.bytes("snapshot-00000003")
        newest[newest.count / 2] ^= 0x01
        fixture.write(newest, to: "snapshot-00000003")

        let (ledger, report) = try fixture.recover()
        #expect(ledger == StorageFixture.ledger(stream))
        #expect(report.snapshotSegment == 2)
        #expect(report.rejectedSnapshots == ["snapshot-00000003: checksum mismatch"])
        #expect(report.recordsReplayed == stream.count - half)
        // Set aside, so compaction does not count it among the two snapshots it keeps: the
        // fallback and the segments it needs stay until a good snapshot replaces them.
        #expect(fixture.files() == ["journal-00000001", "journal-00000002", "journal-00000003", "lock", "snapshot-00000002", "snapshot-00000003.corrupt"])
        do {
            let directory = try fixture.open()
            _ = try directory.recover(configuration: LedgerConfiguration())
            try directory.compact(now: 0)
        }
        #expect(fixture.files().contains("snapshot-00000002"))
        #expect(fixture.files().contains("journal-00000002"))
    }

    /// Damage in an earlier segment is left in its file (for whoever investigates) and replay
    /// goes on with the next segment; only the last segment's tail is cut.
    @Test func damageInAnEarlierSegmentIsSkippedNotCut() throws {
        let fixture = StorageFixture()
        let half = stream.count / 2
        do {
            let journal = try fixture.open().openJournal(after: RecoveryReport(), policy: .never)
            for record in stream[..<half] { _ = try journal.append(record) }
            _ = try StorageFixture.rotate(journal)
            for record in stream[half...] { _ = try journal.append(record) }
            journal.close()
        }
        var first = fixture.bytes("journal-00000001")
        let damaged = FileHeader.size + RecordFrame.headerSize + stream[0].encoded.count + RecordFrame.headerSize + 1
        first[damaged] ^= 0x40
        fixture.write(first, to: "journal-00000001")

        let (ledger, report) = try fixture.recover()
        var expected = StorageFixture.ledger(stream[..<1])
        ReplayEquivalenceTests.apply(stream[half...], to: &expected)
        #expect(ledger == expected)
        #expect(report.damage.map(\.reason) == ["checksum"])
        #expect(fixture.bytes("journal-00000001") == first, "left as it was")
    }

    @Test func withNoReadableSnapshotTheWholeJournalIsReplayed() throws {
        let fixture = StorageFixture()
        do {
            let directory = try fixture.open()
            let journal = try directory.openJournal(after: RecoveryReport(), policy: .never)
            for record in stream { _ = try journal.append(record) }
            _ = try directory.writeSnapshot(StorageFixture.ledger(stream), before: try StorageFixture.rotate(journal))
            journal.close()
        }
        fixture.write(Array(fixture.bytes("snapshot-00000002").prefix(20)), to: "snapshot-00000002")

        let (ledger, report) = try fixture.recover()
        #expect(ledger == StorageFixture.ledger(stream))
        #expect(report.snapshotSegment == nil)
        #expect(report.rejectedSnapshots == ["snapshot-00000002: damaged header"])
        #expect(report.historyMissing == false)
        #expect(report.recordsReplayed == stream.count)
    }

    @Test func filesOfANewerFormatAreRefusedNotOverwritten() throws {
        for kind in [FileHeader.Kind.snapshot, .journal] {
            let fixture = StorageFixture()
            var header = FileHeader(kind: kind, sequence: 1)
            header.version = FileHeader.currentVersion + 1
            let name = kind == .snapshot ? "snapshot-00000001" : "journal-00000001"
            fixture.write(header.encoded + [1, 2, 3], to: name)
            #expect {
                _ = try fixture.recover()
            } throws: { error in
                "\(error)".contains("\(fixture.path)/\(name) was written by a newer vicidial-exporter (format 2; this build reads up to 1)")
            }
            #expect(fixture.bytes(name).count == FileHeader.size + 3, "the newer file is left as it was")
        }
    }

    @Test func aSecondExporterCannotOpenTheSameDirectory() throws {
        let fixture = StorageFixture()
        let first = try fixture.open()
        #expect(throws: StorageRefusal("\(fixture.path) is in use by another vicidial-exporter (its lock file is held)")) {
            _ = try fixture.open()
        }
        _ = first
    }

    @Test func anInterruptedSnapshotIsRemovedAtStart() throws {
        let fixture = StorageFixture()
        fixture.write([1, 2, 3], to: "snapshot-00000004.tmp")
        _ = try fixture.recover()
        #expect(fixture.files() == ["lock"])
    }
}
