import AgentLedger
import Foundation
import TestSupport

@testable import Storage

/// A fresh storage directory under /tmp, removed when the fixture goes.
final class StorageFixture {
    let path: String
    let fileSystem = FaultInjectingFileSystem()

    init() {
        var template = Array("/tmp/vx-storage-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func open() throws -> StorageDirectory { try StorageDirectory(path: path, fileSystem: fileSystem) }

    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    func bytes(_ name: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path + "/" + name) ?? Data()) }

    func write(_ bytes: [UInt8], to name: String) { _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes)) }

    /// Recovers into a fresh process's view: a new lock holder, as after a restart.
    func recover() throws -> (AgentLedger, RecoveryReport) {
        let directory = try open()
        return try directory.recover(configuration: LedgerConfiguration())
    }

    /// Journals the first half of `stream` in segment 1 and the rest in segment 2, each followed
    /// by a snapshot (2 and 3), as a running exporter would; returns the index of the half.
    func journalWithTwoSnapshots(_ stream: [JournalRecord]) throws -> Int {
        let half = stream.count / 2
        let directory = try open()
        let journal = try directory.openJournal(after: RecoveryReport(), policy: .never)
        for record in stream[..<half] { _ = try journal.append(record) }
        _ = try directory.writeSnapshot(Self.ledger(stream[..<half]), before: try Self.rotate(journal))
        for record in stream[half...] { _ = try journal.append(record) }
        _ = try directory.writeSnapshot(Self.ledger(stream), before: try Self.rotate(journal))
        journal.close()
        return half
    }

    /// Ends the journal's segment as a snapshot does; returns the new segment's index.
    static func rotate(_ journal: Journal) throws -> UInt64 {
        let rotation = try journal.beginRotation()
        try journal.finishRotation(rotation)
        return rotation.segment
    }

    static func ledger(_ records: some Sequence<JournalRecord>) -> AgentLedger {
        var ledger = AgentLedger()
        ReplayEquivalenceTests.apply(records, to: &ledger)
        return ledger
    }
}
