import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The append-only journal: segments of checksummed records in the storage directory.
///
/// `append` writes a record into the current segment (the kernel's page cache) and returns
/// its sequence number; the caller applies the event to the ledger only when that succeeded,
/// and acknowledges it after `waitUntilDurable`, which under `FsyncPolicy.always` waits for an
/// `fdatasync` that covers it. One committer thread runs the syncs: every request waiting when
/// a sync starts shares the next one (group commit).
///
/// A failed write puts the journal in a fault: appends throw until a retry repairs it (the torn
/// record is cut off). A failed sync closes the segment and fails every record written to it
/// since the last good sync; the next append starts a new segment, since the kernel may have
/// dropped the pages it could not write.
///
/// Locks: `syncing` is taken before `writer`, and `writer` before `durability`. Every sync and
/// every close of a segment happens under `syncing`, so a sync never meets a closed file.
public final class Journal: Sendable {
    private struct Writer {
        var file: (any WritableFile)?
        /// The segment a rotation ended, until `finishRotation` has synced and closed it.
        var retiring: (any WritableFile)?
        var segment: UInt64
        /// Bytes of good records (and header) in the current segment.
        var size = 0
        /// Sequence number of the last record written.
        var appended: UInt64 = 0
        var statistics = JournalStatistics()
        /// Whether the current segment's directory entry is synced (a rotation defers it).
        var entrySynced = true
        /// Set by `close`: no more records.
        var closed = false
    }

    /// A request waiting for the sync that covers its record.
    private final class Waiter: Sendable {
        let sequence: UInt64
        let woken = DispatchSemaphore(value: 0)
        let failure = Mutex<StorageError?>(nil)

        init(sequence: UInt64) { self.sequence = sequence }
    }

    private struct Durability {
        var durable: UInt64 = 0
        var waiters: [Waiter] = []
        var stopping = false
        /// The records of the last failed sync, (after, through]: never reported durable, even
        /// if a later sync succeeds (the kernel may have dropped their pages).
        var lastFailure: (after: UInt64, through: UInt64, error: StorageError)?
    }

    /// A segment ended by `beginRotation`: a snapshot of the ledger taken at that moment covers
    /// every record before `segment`.
    public struct Rotation: Sendable {
        /// The new segment, the first a snapshot taken now does not cover.
        public let segment: UInt64
        /// Sequence number of the last record in the ended segment.
        let through: UInt64
        /// Journal bytes written since the last snapshot, up to the rotation.
        let bytes: UInt64
    }

    public let directory: String
    public let policy: FsyncPolicy
    private let fileSystem: any FileSystem
    private let writer: Mutex<Writer>
    private let syncing = Mutex<Void>(())
    private let durability = Mutex(Durability())
    private let committerWake = DispatchSemaphore(value: 0)
    private let committerDone = DispatchSemaphore(value: 0)

    /// Starts a new segment `segment` (recovery never appends to an old one). `replayBytes`: the
    /// journal a restart would replay already (what recovery replayed), until a snapshot.
    public init(
        directory: String, fileSystem: any FileSystem, policy: FsyncPolicy, segment: UInt64, replayBytes: UInt64 = 0
    ) throws(StorageError) {
        self.directory = directory
        self.policy = policy
        self.fileSystem = fileSystem
        var writer = Writer(segment: segment)
        writer.statistics.bytesSinceSnapshot = replayBytes
        try Self.openSegment(segment, in: directory, fileSystem: fileSystem, writer: &writer, sync: true)
        self.writer = Mutex(writer)
        if policy != .never { startCommitter() }
    }

    /// A record encoded and framed, ready to be written: built before the caller takes its lock,
    /// so only the `write(2)` happens under it.
    public struct Frame: Sendable {
        let bytes: [UInt8]

        public init(_ record: JournalRecord) {
            var bytes: [UInt8] = []
            let payload = record.encoded
            bytes.reserveCapacity(RecordFrame.headerSize + payload.count)
            RecordFrame.append(payload, to: &bytes)
            self.bytes = bytes
        }
    }

    /// Writes one record; returns its sequence number for `waitUntilDurable`.
    public func append(_ record: JournalRecord) throws(StorageError) -> UInt64 {
        try append(Frame(record))
    }

    /// Writes one framed record; returns its sequence number for `waitUntilDurable`.
    public func append(_ frame: Frame) throws(StorageError) -> UInt64 {
        let frame = frame.bytes
        return try writer.withLock { writer throws(StorageError) -> UInt64 in
            if writer.closed { throw StorageError("append to", directory, code: ECANCELED) }
            if writer.statistics.fault != nil || writer.file == nil { try repair(&writer) }
            guard let file = writer.file else { throw StorageError("append to", directory, code: EBADF) }
            do throws(StorageError) {
                try file.write(frame)
            } catch {
                // Cut the partial record off now if the disk lets us; repair tries again otherwise.
                try? file.truncate(to: writer.size)
                fail(error, &writer)
                throw error
            }
            writer.size += frame.count
            writer.appended += 1
            writer.statistics.recordsWritten += 1
            writer.statistics.bytesWritten += UInt64(frame.count)
            writer.statistics.bytesSinceSnapshot += UInt64(frame.count)
            return writer.appended
        }
    }

    /// Returns once record `sequence` is as durable as the policy promises: synced under
    /// `always`, written under the others. Throws when its sync failed.
    public func waitUntilDurable(_ sequence: UInt64) throws(StorageError) {
        guard policy == .always else { return }
        let waiter = Waiter(sequence: sequence)
        let outcome = durability.withLock { state -> (wait: Bool, failure: StorageError?) in
            if let failed = state.lastFailure, failed.after < sequence, sequence <= failed.through {
                return (false, failed.error)
            }
            guard state.durable < sequence else { return (false, nil) }
            state.waiters.append(waiter)
            return (true, nil)
        }
        if let failure = outcome.failure { throw failure }
        guard outcome.wait else { return }
        committerWake.signal()
        waiter.woken.wait()
        if let failure = waiter.failure.withLock({ $0 }) { throw failure }
    }

    /// Ends the current segment and starts the next, without syncing: quick enough for the
    /// caller's lock, under which it copies the ledger to snapshot. `finishRotation` then
    /// makes the ended segment durable, outside that lock.
    public func beginRotation() throws(StorageError) -> Rotation {
        try writer.withLock { writer throws(StorageError) -> Rotation in
            if writer.closed { throw StorageError("rotate", directory, code: ECANCELED) }
            if writer.statistics.fault != nil || writer.file == nil { try repair(&writer) }
            guard writer.retiring == nil else { throw StorageError("rotate", directory, code: EBUSY) }
            let ended = writer.file
            let through = writer.appended
            try Self.openSegment(writer.segment + 1, in: directory, fileSystem: fileSystem, writer: &writer, sync: false)
            writer.retiring = ended
            return Rotation(segment: writer.segment, through: through, bytes: writer.statistics.bytesSinceSnapshot)
        }
    }

    /// Syncs the segment `rotation` ended (and the new one's directory entry), then closes it.
    /// Throws when that fails: the snapshot must not be written then.
    public func finishRotation(_ rotation: Rotation) throws(StorageError) {
        try syncing.withLock { _ throws(StorageError) in
            let ended = writer.withLock { $0.retiring }
            // A failed sync of the committer may have closed it already, and failed its records.
            guard let ended else { throw writer.withLock { $0.statistics.fault } ?? StorageError("rotate", directory, code: EIO) }
            do throws(StorageError) {
                try ended.sync()
                try fileSystem.syncDirectory(directory)
            } catch {
                failSync(error)
                throw error
            }
            ended.close()
            writer.withLock { writer in
                writer.retiring = nil
                writer.entrySynced = true
                writer.statistics.syncs += 1
            }
            settle(through: rotation.through, failure: nil)
        }
    }

    /// A snapshot covering `rotation` is on disk: its journal no longer counts as replay.
    public func snapshotWritten(_ rotation: Rotation) {
        writer.withLock { writer in
            writer.statistics.bytesSinceSnapshot -= min(rotation.bytes, writer.statistics.bytesSinceSnapshot)
        }
    }

    public var statistics: JournalStatistics { writer.withLock { $0.statistics } }

    /// Syncs what is written and stops the committer; the journal takes no more records, and
    /// requests still waiting for a sync are answered with its outcome. Returns the sync's error.
    @discardableResult
    public func close() -> StorageError? {
        durability.withLock { $0.stopping = true }
        if policy != .never {
            committerWake.signal()
            committerDone.wait()
        }
        return syncing.withLock { _ in
            let (files, through) = writer.withLock { writer in
                writer.closed = true
                defer {
                    writer.file = nil
                    writer.retiring = nil
                }
                return ([writer.retiring, writer.file].compactMap { $0 }, writer.appended)
            }
            var failure: StorageError?
            for file in files {
                do throws(StorageError) { try file.sync() } catch { failure = failure ?? error }
                file.close()
            }
            settle(through: through, failure: failure)
            return failure
        }
    }

    // MARK: - Committer

    private func startCommitter() {
        BackgroundThread.start { [self] in commitLoop() }
    }

    private func commitLoop() {
        defer { committerDone.signal() }
        while true {
            switch policy {
            case .interval(let seconds):
                _ = committerWake.wait(timeout: .now() + .nanoseconds(Int(min(seconds, 3_600) * 1e9)))  // flags allow at most 1h
            default:
                committerWake.wait()
            }
            let stopping = durability.withLock { $0.stopping }
            syncOnce()
            if stopping { return }
        }
    }

    /// One group commit: syncs everything written so far (a segment being retired too) and
    /// settles the waiters it covers.
    private func syncOnce() {
        syncing.withLock { _ in
            let (files, entrySynced, target) = writer.withLock {
                ([$0.retiring, $0.file].compactMap { $0 }, $0.entrySynced, $0.appended)
            }
            guard !files.isEmpty, target > durability.withLock({ $0.durable }) else { return }
            do throws(StorageError) {
                for file in files { try file.sync() }
                // A segment started by a rotation must survive a power cut before its records count.
                if !entrySynced { try fileSystem.syncDirectory(directory) }
                writer.withLock { writer in
                    writer.statistics.syncs += 1
                    writer.entrySynced = true
                }
                settle(through: target, failure: nil)
            } catch {
                failSync(error)
            }
        }
    }

    /// A sync failed (the caller holds `syncing`): every segment open is closed, since the
    /// kernel may have dropped the pages it could not write, and every record written so far
    /// and not yet synced fails. The next append starts a new segment.
    private func failSync(_ error: StorageError) {
        let through = writer.withLock { writer in
            fail(error, &writer)
            for file in [writer.retiring, writer.file].compactMap({ $0 }) { file.close() }
            writer.retiring = nil
            writer.file = nil
            return writer.appended
        }
        settle(through: through, failure: error)
    }

    /// Records `through` as synced (or failed) and wakes the waiters it covers.
    private func settle(through sequence: UInt64, failure: StorageError?) {
        let woken = durability.withLock { state -> [Waiter] in
            if let failure {
                state.lastFailure = (state.durable, sequence, failure)
            } else {
                state.durable = max(state.durable, sequence)
            }
            let (covered, waiting) = state.waiters.partitioned { $0.sequence <= sequence }
            state.waiters = waiting
            return covered
        }
        for waiter in woken {
            waiter.failure.withLock { $0 = failure }
            waiter.woken.signal()
        }
    }

    // MARK: - Segments and faults

    private func fail(_ error: StorageError, _ writer: inout Writer) {
        writer.statistics.fault = error
        writer.statistics.failures += 1
    }

    /// Makes the journal writable again: a new segment after a failed sync (the file was
    /// closed), else the torn record cut off the current one.
    private func repair(_ writer: inout Writer) throws(StorageError) {
        if let file = writer.file {
            try file.truncate(to: writer.size)
        } else {
            try Self.openSegment(writer.segment + 1, in: directory, fileSystem: fileSystem, writer: &writer, sync: true)
        }
        writer.statistics.fault = nil
    }

    /// Creates segment `index` with its header and makes it the current one; with `sync`, the
    /// header and the directory entry are synced first (a rotation syncs them later). On
    /// failure the half-made file is removed so the index can be tried again.
    private static func openSegment(
        _ index: UInt64, in directory: String, fileSystem: any FileSystem, writer: inout Writer, sync: Bool
    ) throws(StorageError) {
        let path = directory + "/" + StorageFileName.journal(index)
        let file: any WritableFile
        let header = FileHeader(kind: .journal, sequence: index).encoded
        do throws(StorageError) {
            file = try fileSystem.create(path)
            do throws(StorageError) {
                try file.write(header)
                if sync {
                    try file.sync()
                    try fileSystem.syncDirectory(directory)
                }
            } catch {
                file.close()
                try? fileSystem.remove(path)
                throw error
            }
        } catch {
            writer.statistics.fault = error
            writer.statistics.failures += 1
            throw error
        }
        writer.file = file
        writer.segment = index
        writer.size = header.count
        writer.entrySynced = sync
        writer.statistics.segment = index
    }
}

extension Array {
    /// Splits into the elements that satisfy `belongs` and those that do not, keeping order.
    fileprivate func partitioned(_ belongs: (Element) -> Bool) -> ([Element], [Element]) {
        var yes: [Element] = []
        var no: [Element] = []
        for element in self {
            if belongs(element) { yes.append(element) } else { no.append(element) }
        }
        return (yes, no)
    }
}
