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
/// A failed write or sync puts the journal in a fault: appends throw until a retry repairs it
/// (the torn record is cut off, or after a failed sync a new segment is started, since the
/// kernel may have dropped the pages it could not write).
///
/// Locks: `syncing` is taken before `writer`, never the other way round.
public final class Journal: Sendable {
    private struct Writer {
        var file: (any WritableFile)?
        var segment: UInt64
        /// Bytes of good records (and header) in the current segment.
        var size = 0
        /// Sequence number of the last record written.
        var appended: UInt64 = 0
        var statistics = JournalStatistics()
        /// A failed sync leaves the segment untrustworthy: repair starts a new one.
        var needsNewSegment = false
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
        /// if a later sync of the same file succeeds (the kernel may have dropped their pages).
        var lastFailure: (after: UInt64, through: UInt64, error: StorageError)?
    }

    public let directory: String
    public let policy: FsyncPolicy
    private let fileSystem: any FileSystem
    private let writer: Mutex<Writer>
    /// Held around every sync and every close of a segment, so a sync never meets a closed file.
    private let syncing = Mutex<Void>(())
    private let durability = Mutex(Durability())
    private let committerWake = DispatchSemaphore(value: 0)
    private let committerDone = DispatchSemaphore(value: 0)

    /// Starts a new segment `segment` (recovery never appends to an old one).
    public init(directory: String, fileSystem: any FileSystem, policy: FsyncPolicy, segment: UInt64) throws(StorageError) {
        self.directory = directory
        self.policy = policy
        self.fileSystem = fileSystem
        var writer = Writer(segment: segment)
        try Self.openSegment(segment, in: directory, fileSystem: fileSystem, writer: &writer)
        self.writer = Mutex(writer)
        if policy != .never { startCommitter() }
    }

    /// Writes one record; returns its sequence number for `waitUntilDurable`.
    public func append(_ record: JournalRecord) throws(StorageError) -> UInt64 {
        var frame: [UInt8] = []
        let payload = record.encoded
        frame.reserveCapacity(RecordFrame.headerSize + payload.count)
        RecordFrame.append(payload, to: &frame)
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
            writer.statistics.segmentBytes = writer.size
            return writer.appended
        }
    }

    /// Returns once record `sequence` is as durable as the policy promises: synced under
    /// `always`, written under the others. Throws when the sync failed.
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

    /// Ends the current segment (synced) and starts the next; returns the new segment's index.
    /// Everything appended before is then in segments below it: a snapshot taken now covers them.
    public func rotate() throws(StorageError) -> UInt64 {
        try syncing.withLock { _ throws(StorageError) -> UInt64 in
            // Waiters are settled once the writer's lock is released: synced, or failed with the sync.
            var settlement: (through: UInt64, failure: StorageError?)?
            defer { if let settlement { settle(through: settlement.through, failure: settlement.failure) } }
            return try writer.withLock { writer throws(StorageError) -> UInt64 in
                if writer.statistics.fault != nil { try repair(&writer) }
                if let file = writer.file {
                    do throws(StorageError) {
                        try file.sync()
                    } catch {
                        fail(error, &writer)
                        writer.needsNewSegment = true
                        settlement = (writer.appended, error)
                        throw error
                    }
                    writer.statistics.syncs += 1
                    file.close()
                    writer.file = nil
                }
                settlement = (writer.appended, nil)
                try Self.openSegment(writer.segment + 1, in: directory, fileSystem: fileSystem, writer: &writer)
                writer.statistics.bytesSinceSnapshot = 0
                return writer.segment
            }
        }
    }

    public var statistics: JournalStatistics { writer.withLock { $0.statistics } }

    public var isHealthy: Bool { writer.withLock { $0.statistics.fault == nil } }

    /// Syncs what is written and stops the committer; the journal takes no more records.
    public func close() {
        durability.withLock { $0.stopping = true }
        if policy != .never {
            committerWake.signal()
            committerDone.wait()
        }
        syncing.withLock { _ in
            writer.withLock { writer in
                if let file = writer.file {
                    try? file.sync()
                    file.close()
                }
                writer.file = nil
                writer.closed = true
            }
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
                _ = committerWake.wait(timeout: .now() + .nanoseconds(Int(seconds * 1e9)))
            default:
                committerWake.wait()
            }
            let stopping = durability.withLock { $0.stopping }
            syncOnce()
            if stopping { return }
        }
    }

    /// One group commit: syncs everything written so far and settles the waiters it covers.
    private func syncOnce() {
        syncing.withLock { _ in
            let (file, target) = writer.withLock { ($0.file, $0.appended) }
            guard let file, target > durability.withLock({ $0.durable }) else { return }
            do throws(StorageError) {
                try file.sync()
                writer.withLock { $0.statistics.syncs += 1 }
                settle(through: target, failure: nil)
            } catch {
                writer.withLock { writer in
                    fail(error, &writer)
                    writer.needsNewSegment = true
                }
                settle(through: target, failure: error)
            }
        }
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

    private func repair(_ writer: inout Writer) throws(StorageError) {
        if writer.needsNewSegment || writer.file == nil {
            writer.file?.close()
            writer.file = nil
            try Self.openSegment(writer.segment + 1, in: directory, fileSystem: fileSystem, writer: &writer)
            writer.needsNewSegment = false
        } else {
            try writer.file!.truncate(to: writer.size)
        }
        writer.statistics.fault = nil
    }

    /// Creates segment `index` with its header, synced with its directory entry; on failure
    /// the half-made file is removed so the index can be tried again.
    private static func openSegment(
        _ index: UInt64, in directory: String, fileSystem: any FileSystem, writer: inout Writer
    ) throws(StorageError) {
        let path = directory + "/" + StorageFileName.journal(index)
        let file = try fileSystem.create(path)
        let header = FileHeader(kind: .journal, sequence: index).encoded
        do throws(StorageError) {
            try file.write(header)
            try file.sync()
            try fileSystem.syncDirectory(directory)
        } catch {
            file.close()
            try? fileSystem.remove(path)
            writer.statistics.fault = error
            writer.statistics.failures += 1
            throw error
        }
        writer.file = file
        writer.segment = index
        writer.size = header.count
        writer.statistics.segment = index
        writer.statistics.segmentBytes = header.count
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
