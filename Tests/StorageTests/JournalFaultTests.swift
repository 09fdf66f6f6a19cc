import AgentEvents
import AgentLedger
import Dispatch
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Storage

/// A full disk, a read-only remount and failing syncs: appends throw (so nothing unstored is
/// acknowledged), no torn record is left between good ones, and writing resumes by itself
/// once the disk works again.
@Suite struct JournalFaultTests {
    let records = RecordStreams.contactCenter(seed: 21, agents: 3, span: 600)

    @Test func aFullDiskRefusesAppendsThenResumesWithNoTornRecordBetween() throws {
        let fixture = StorageFixture()
        var acknowledged: [JournalRecord] = []
        do {
            let journal = try fixture.open().openJournal(after: RecoveryReport(), policy: .always)
            for record in records[..<50] {
                try journal.waitUntilDurable(try journal.append(record))
                acknowledged.append(record)
            }
            // Room for a record and a half: the next one fits, the one after lands in part.
            fixture.fileSystem.inject(.full(bytesLeft: records[50].encoded.count + RecordFrame.headerSize + 20))
            try journal.waitUntilDurable(try journal.append(records[50]))
            acknowledged.append(records[50])
            for record in records[51..<60] {
                #expect(throws: StorageError("write", fixture.path + "/journal-00000001", code: ENOSPC)) {
                    _ = try journal.append(record)
                }
            }
            #expect(journal.statistics.fault != nil)
            #expect(journal.statistics.failures == 9)
            #expect(journal.statistics.fault == StorageError("write", fixture.path + "/journal-00000001", code: ENOSPC))

            fixture.fileSystem.inject(nil)  // space returns
            for record in records[60...] {
                try journal.waitUntilDurable(try journal.append(record))
                acknowledged.append(record)
            }
            #expect(journal.statistics.fault == nil)
            journal.close()
        }
        let (ledger, report) = try fixture.recover()
        #expect(report.damage.isEmpty, "the partial record was cut off before writing resumed")
        #expect(report.recordsReplayed == acknowledged.count)
        #expect(ledger == StorageFixture.ledger(acknowledged))
    }

    @Test func aReadOnlyRemountRefusesAppendsUntilWritableAgain() throws {
        let fixture = StorageFixture()
        var acknowledged: [JournalRecord] = []
        do {
            let journal = try fixture.open().openJournal(after: RecoveryReport(), policy: .always)
            for record in records[..<20] {
                try journal.waitUntilDurable(try journal.append(record))
                acknowledged.append(record)
            }
            fixture.fileSystem.inject(.readOnly)
            for record in records[20..<25] {
                #expect(throws: StorageError.self) { _ = try journal.append(record) }
            }
            #expect("\(journal.statistics.fault!)" == "write \(fixture.path)/journal-00000001: Read-only file system")
            fixture.fileSystem.inject(nil)
            for record in records[25...] {
                try journal.waitUntilDurable(try journal.append(record))
                acknowledged.append(record)
            }
            journal.close()
        }
        let (ledger, report) = try fixture.recover()
        #expect(report.damage.isEmpty)
        #expect(ledger == StorageFixture.ledger(acknowledged))
    }

    /// After a failed fdatasync the kernel may have dropped the pages it could not write, so the
    /// waiting request is refused and writing moves on to a new segment.
    @Test func aFailedSyncRefusesItsWaitersAndStartsANewSegment() throws {
        let fixture = StorageFixture()
        do {
            let journal = try fixture.open().openJournal(after: RecoveryReport(), policy: .always)
            try journal.waitUntilDurable(try journal.append(records[0]))
            fixture.fileSystem.inject(.syncFails)
            let sequence = try journal.append(records[1])
            #expect(throws: StorageError("sync", fixture.path + "/journal-00000001", code: EIO)) {
                try journal.waitUntilDurable(sequence)
            }
            #expect(journal.statistics.fault != nil)
            fixture.fileSystem.inject(nil)
            try journal.waitUntilDurable(try journal.append(records[2]))
            #expect(journal.statistics.segment == 2)
            // A later successful sync does not make the failed record durable after the fact.
            #expect(throws: StorageError("sync", fixture.path + "/journal-00000001", code: EIO)) {
                try journal.waitUntilDurable(sequence)
            }
            journal.close()
        }
        #expect(fixture.files() == ["journal-00000001", "journal-00000002", "lock"])
    }

    /// A sync that fails fails every record written to the segment since the last good sync,
    /// including those written while it ran; the next append starts a new segment.
    @Test func aFailedSyncFailsEverythingWrittenToItsSegment() throws {
        let fixture = StorageFixture()
        let journal = try fixture.open().openJournal(after: RecoveryReport(), policy: .always)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        fixture.fileSystem.holdSyncs(entered: { entered.signal() }, release: { release.wait() })
        let done = DispatchGroup()
        let firstFailure = Mutex<StorageError?>(nil)
        let sequence = try journal.append(records[0])
        DispatchQueue.global().async(group: done) {
            do throws(StorageError) {
                try journal.waitUntilDurable(sequence)
            } catch {
                firstFailure.withLock { $0 = error }
            }
        }
        entered.wait()  // the sync covering record 1 has started
        let second = try journal.append(records[1])
        fixture.fileSystem.inject(.syncFails)
        fixture.fileSystem.releaseSyncs()
        release.signal()
        done.wait()
        let failure = StorageError("sync", fixture.path + "/journal-00000001", code: EIO)
        #expect(firstFailure.withLock { $0 } == failure)
        #expect(throws: failure) { try journal.waitUntilDurable(second) }
        fixture.fileSystem.inject(nil)
        try journal.waitUntilDurable(try journal.append(records[2]))
        #expect(journal.statistics.segment == 2)
        journal.close()
    }

    /// Requests that wait while a sync runs share the next one: four records, two syncs.
    @Test func requestsArrivingTogetherShareOneSync() throws {
        let fixture = StorageFixture()
        let journal = try fixture.open().openJournal(after: RecoveryReport(), policy: .always)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        fixture.fileSystem.holdSyncs(entered: { entered.signal() }, release: { release.wait() })
        let done = DispatchGroup()
        let failures = Atomic<Int>(0)
        func appendAndWait(_ record: JournalRecord) {
            DispatchQueue.global().async(group: done) {
                do { try journal.waitUntilDurable(try journal.append(record)) } catch { failures.add(1, ordering: .relaxed) }
            }
        }
        appendAndWait(records[0])
        entered.wait()  // the first sync has started, covering record 1 only
        for record in records[1...3] { appendAndWait(record) }
        while journal.statistics.recordsWritten < 4 { usleep(1_000) }
        fixture.fileSystem.releaseSyncs()
        release.signal()
        done.wait()
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(journal.statistics.syncs == 2)
        journal.close()
    }
}
