import AgentLedger

/// The storage directory (`--storage.path`): held under an exclusive lock for the life of the
/// process, it holds journal segments and snapshots. Recovery, snapshot writing and
/// compaction live here; appending lives in `Journal`.
///
/// Opened with `readingOnly:` (by `vicidial-exporter check` and `backfill`, which may run beside
/// the exporter that owns it), it takes no lock and changes nothing: recovery reads what is
/// there without setting aside unreadable snapshots or cutting a torn tail, and it cannot write.
public final class StorageDirectory: Sendable {
    public let path: String
    /// `--storage.retention`, in seconds: how far back compaction keeps the journal (`RetentionPlan`).
    public let retention: Double
    private let fileSystem: any FileSystem
    /// Open for the process's life: closing it would release the lock. Nil when reading only.
    private let lockFile: (any WritableFile)?

    /// Whether recovery may repair what it finds (rename, cut) and the journal and snapshots
    /// may be written: false when opened `readingOnly:`.
    public var isWritable: Bool { lockFile != nil }

    public init(path: String, retention: Double = 0, fileSystem: any FileSystem = PosixFileSystem()) throws(StorageRefusal) {
        self.path = path
        self.retention = retention
        self.fileSystem = fileSystem
        do {
            try fileSystem.makeDirectory(path)
            guard let lock = try fileSystem.lockExclusively(path + "/" + StorageFileName.lock) else {
                throw StorageRefusal("\(path) is in use by another vicidial-exporter (its lock file is held)")
            }
            self.lockFile = lock
            for name in try fileSystem.contents(ofDirectory: path) where name.hasSuffix(StorageFileName.temporarySuffix) {
                try fileSystem.remove(path + "/" + name)  // a snapshot whose writing was interrupted
            }
        } catch let error as StorageError {
            throw StorageRefusal("cannot use storage directory \(path): \(error)")
        } catch let refusal as StorageRefusal {
            throw refusal
        } catch {
            throw StorageRefusal("cannot use storage directory \(path): \(error)")
        }
    }

    /// Reads `path` as it is, without creating, locking or changing anything; refuses a path
    /// that is not a readable directory.
    public init(readingOnly path: String, fileSystem: any FileSystem = PosixFileSystem()) throws(StorageRefusal) {
        self.path = path
        self.retention = 0
        self.fileSystem = fileSystem
        self.lockFile = nil
        do {
            _ = try fileSystem.contents(ofDirectory: path)
        } catch {
            throw StorageRefusal("cannot read storage directory \(path): \(error)")
        }
    }

    /// Whether another process holds the directory's lock (a running exporter), without
    /// taking it. Only meaningful for a directory opened `readingOnly:`.
    public func isLockedByAnotherProcess() throws(StorageError) -> Bool {
        let lockPath = path + "/" + StorageFileName.lock
        guard (try? fileSystem.contents(ofDirectory: path).contains(StorageFileName.lock)) == true else { return false }
        guard let probe = try fileSystem.lockExclusively(lockPath) else { return true }
        probe.close()
        return false
    }

    /// Releases the lock (a process that exits releases it too).
    deinit { lockFile?.close() }

    // MARK: - Recovery

    /// Loads the newest readable snapshot and replays the journal after it, cutting a torn or
    /// corrupt tail at its last good record. Refuses files of a newer format version.
    public func recover(configuration: LedgerConfiguration) throws(StorageRefusal) -> (AgentLedger, RecoveryReport) {
        try replay(from: .newestSnapshot, configuration: configuration) { _, _ in }
    }

    /// The whole history the directory holds, for `backfill`: from segment 1 with an empty
    /// ledger while it is still there, else from the oldest readable snapshot, every record in
    /// order, each handed to `visit` with the ledger as it stands just before the record is
    /// applied. Returns the ledger after the last record. Opened `readingOnly:`, nothing is
    /// changed (a torn tail, normal while the exporter writes, is reported, not cut).
    public func replayHistory(
        configuration: LedgerConfiguration, beforeEach visit: (JournalRecord, AgentLedger) -> Void
    ) throws(StorageRefusal) -> (AgentLedger, RecoveryReport) {
        try replay(from: .oldestHistory, configuration: configuration, visit)
    }

    private enum Base {
        /// The newest readable snapshot (a start: the least to replay).
        case newestSnapshot
        /// Segment 1 when present, else the oldest readable snapshot (the most history).
        case oldestHistory
    }

    private func replay(
        from base: Base, configuration: LedgerConfiguration, _ visit: (JournalRecord, AgentLedger) -> Void
    ) throws(StorageRefusal) -> (AgentLedger, RecoveryReport) {
        var report = RecoveryReport()
        let names: [String]
        do { names = try fileSystem.contents(ofDirectory: path) } catch { throw StorageRefusal("cannot list \(path): \(error)") }
        let segments = names.compactMap { StorageFileName.index($0, prefix: StorageFileName.journalPrefix) }.sorted()
        let snapshots = names.compactMap { StorageFileName.index($0, prefix: StorageFileName.snapshotPrefix) }.sorted(by: >)

        var ledger = AgentLedger(configuration: configuration)
        var start = segments.first ?? 1
        let tried: [UInt64] =
            switch base {
            case .newestSnapshot: snapshots
            case .oldestHistory: segments.first == 1 ? [] : snapshots.reversed()
            }
        for index in tried {
            let name = StorageFileName.snapshot(index)
            let bytes: [UInt8]
            do { bytes = try readFile(name) } catch {
                reject(name, because: "\(error)", in: &report)
                continue
            }
            do throws(SnapshotFile.Problem) {
                let (loaded, segment) = try SnapshotFile.decode(bytes)
                guard segment == index else { throw .damaged("its header names segment \(segment)") }
                ledger = loaded
                ledger.configuration = configuration
                report.snapshotSegment = index
                start = index
                break
            } catch .newerVersion(let version) {
                throw StorageRefusal(
                    "\(path)/\(name) was \(SnapshotFile.Problem.newerVersion(version)): upgrade, or move \(path) aside to start empty")
            } catch {
                reject(name, because: "\(error)", in: &report)
            }
        }
        if report.snapshotSegment == nil && !snapshots.isEmpty && start > 1 { report.historyMissing = true }

        var expected = start
        let replayed = segments.filter { $0 >= start }
        for index in replayed {
            if index != expected {
                report.damage.append(.init(
                    file: StorageFileName.journal(expected), keptBytes: 0, droppedBytes: 0,
                    reason: "segments \(expected)...\(index - 1) missing"))
            }
            try replaySegment(index, isLast: index == replayed.last, report: &report) { record in
                visit(record, ledger)
                ledger.apply(record)
            }
            expected = index + 1
        }
        report.nextSegment = max(expected, (segments.last ?? 0) + 1, report.snapshotSegment ?? 1)
        return (ledger, report)
    }

    /// A snapshot that cannot be read is renamed `<name>.corrupt`: kept for whoever investigates,
    /// and no longer counted among the snapshots compaction keeps.
    private func reject(_ name: String, because reason: String, in report: inout RecoveryReport) {
        report.rejectedSnapshots.append("\(name): \(reason)")
        guard isWritable else { return }
        try? fileSystem.rename(path + "/" + name, to: path + "/" + name + StorageFileName.corruptSuffix)
    }

    /// Replays one segment up to its first damage, each record through `apply`. Only the last
    /// segment is cut there (its tail is where a crash tears a write, and the next start should
    /// not meet it again); damage in an earlier one is left in the file for whoever
    /// investigates, and replay goes on.
    private func replaySegment(
        _ index: UInt64, isLast: Bool, report: inout RecoveryReport, _ apply: (JournalRecord) -> Void
    ) throws(StorageRefusal) {
        let name = StorageFileName.journal(index)
        let bytes: [UInt8]
        do { bytes = try readFile(name) } catch {
            report.damage.append(.init(file: name, keptBytes: 0, droppedBytes: 0, reason: "unreadable: \(error)"))
            return
        }
        do {
            _ = try FileHeader.decode(bytes, kind: .journal)
        } catch .newerVersion(let version) {
            throw StorageRefusal(
                "\(path)/\(name) was written by a newer vicidial-exporter (format \(version); this build reads up to \(FileHeader.currentVersion)): upgrade, or move \(path) aside to start empty")
        } catch {
            // A segment whose header never reached the disk holds nothing usable.
            report.damage.append(.init(file: name, keptBytes: 0, droppedBytes: bytes.count, reason: "damaged header"))
            return
        }
        var scan = RecordFrame.scan(bytes, from: FileHeader.size)
        for payload in scan.payloads {
            guard let record = JournalRecord(decoding: payload) else {
                // Checksum-valid but unreadable: treat like damage, keep what came before.
                scan.goodEnd = payload.startIndex - RecordFrame.headerSize
                scan.damage = .checksum
                break
            }
            apply(record)
            report.recordsReplayed += 1
        }
        report.segmentsReplayed += 1
        report.bytesReplayed += UInt64(scan.goodEnd - FileHeader.size)
        if let damage = scan.damage {
            report.damage.append(.init(
                file: name, keptBytes: scan.goodEnd, droppedBytes: bytes.count - scan.goodEnd, reason: damage.rawValue))
            if isLast, isWritable, let file = try? fileSystem.openForAppend(path + "/" + name) {
                try? file.truncate(to: scan.goodEnd)
                try? file.sync()
                file.close()
            }
        }
    }

    // MARK: - Journal, snapshots, compaction

    /// The journal after `recovered`: a new segment, counting what was replayed as still to replay.
    public func openJournal(after recovered: RecoveryReport, policy: FsyncPolicy) throws(StorageError) -> Journal {
        precondition(isWritable, "the journal opened in a directory read only")
        return try Journal(
            directory: path, fileSystem: fileSystem, policy: policy, segment: recovered.nextSegment,
            replayBytes: recovered.bytesReplayed)
    }

    /// Writes the snapshot atomically: a temporary file, synced, renamed over, the directory synced.
    public func writeSnapshot(_ ledger: AgentLedger, before segment: UInt64) throws(StorageError) -> Int {
        precondition(isWritable, "a snapshot written in a directory read only")
        let bytes = SnapshotFile.encode(ledger, before: segment)
        let name = StorageFileName.snapshot(segment)
        let temporary = path + "/" + name + StorageFileName.temporarySuffix
        let file = try fileSystem.create(temporary)
        do throws(StorageError) {
            try file.write(bytes)
            try file.sync()
            file.close()
        } catch {
            file.close()
            try? fileSystem.remove(temporary)
            throw error
        }
        try fileSystem.rename(temporary, to: path + "/" + name)
        try fileSystem.syncDirectory(path)
        return bytes.count
    }

    /// Removes the snapshots and segments `RetentionPlan` gives up, as of `now` (Unix seconds)
    /// under `retention`. Returns the names removed.
    @discardableResult
    public func compact(now: Double) throws(StorageError) -> [String] {
        precondition(isWritable, "compaction in a directory read only")
        var snapshots: [RetentionPlan.StoredFile] = []
        var segments: [RetentionPlan.StoredFile] = []
        for name in try fileSystem.contents(ofDirectory: path) {
            if let index = StorageFileName.index(name, prefix: StorageFileName.snapshotPrefix) {
                snapshots.append(.init(index: index, modified: try fileSystem.modificationTime(path + "/" + name)))
            } else if let index = StorageFileName.index(name, prefix: StorageFileName.journalPrefix) {
                segments.append(.init(index: index, modified: try fileSystem.modificationTime(path + "/" + name)))
            }
        }
        let removed = RetentionPlan.removals(snapshots: snapshots, segments: segments, now: now, retention: retention)
        for name in removed { try fileSystem.remove(path + "/" + name) }
        if !removed.isEmpty { try fileSystem.syncDirectory(path) }
        return removed
    }

    private func readFile(_ name: String) throws(StorageError) -> [UInt8] {
        try fileSystem.read(path + "/" + name)
    }
}
