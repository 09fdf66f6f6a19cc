/// The first bytes of every journal segment and snapshot: what the file is, the format
/// version that wrote it, and its place in the sequence, guarded by a checksum of its own.
///
/// `[magic: 8][version: u32][sequence: u64][payload length: u64][payload CRC-32C: u32][header CRC-32C: u32]`
struct FileHeader: Equatable {
    enum Kind: Equatable {
        case journal, snapshot

        var magic: [UInt8] {
            switch self {
            case .journal: Array("VXJRNL\r\n".utf8)
            case .snapshot: Array("VXSNAP\r\n".utf8)
            }
        }
    }

    /// Bumped whenever the record encoding or the snapshot's content changes shape; an older
    /// build refuses files of a newer version rather than misread (and then compact) them.
    static let currentVersion: UInt32 = 1
    static let size = 36

    var kind: Kind
    var version: UInt32 = currentVersion
    /// A segment's index; for a snapshot, the first segment it does not cover.
    var sequence: UInt64
    /// Snapshots only: the payload that follows the header.
    var payloadLength: UInt64 = 0
    var payloadChecksum: UInt32 = 0

    var encoded: [UInt8] {
        var writer = ByteWriter()
        writer.bytes.append(contentsOf: kind.magic)
        writer.u32(version)
        writer.u64(sequence)
        writer.u64(payloadLength)
        writer.u32(payloadChecksum)
        writer.u32(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    enum Problem: Error, Equatable {
        /// Not a file of this kind, or a damaged header.
        case damaged
        /// Written by a newer build.
        case newerVersion(UInt32)
    }

    static func decode(_ bytes: [UInt8], kind: Kind) throws(Problem) -> FileHeader {
        guard bytes.count >= size, Array(bytes[0..<8]) == kind.magic else { throw .damaged }
        var reader = ByteReader(bytes[8..<size])
        guard let version = reader.u32(), let sequence = reader.u64(), let payloadLength = reader.u64(),
            let payloadChecksum = reader.u32(), let checksum = reader.u32(),
            checksum == CRC32C.checksum(bytes[0..<size - 4])
        else { throw .damaged }
        guard version <= currentVersion else { throw .newerVersion(version) }
        return FileHeader(
            kind: kind, version: version, sequence: sequence, payloadLength: payloadLength,
            payloadChecksum: payloadChecksum)
    }
}

/// File names in the storage directory: `journal-00000007` holds the records after
/// `snapshot-00000007`, which is the ledger as of the end of segment 6.
enum StorageFileName {
    static let lock = "lock"
    static let journalPrefix = "journal-"
    static let snapshotPrefix = "snapshot-"
    static let temporarySuffix = ".tmp"
    static let corruptSuffix = ".corrupt"

    static func journal(_ index: UInt64) -> String { journalPrefix + padded(index) }
    static func snapshot(_ index: UInt64) -> String { snapshotPrefix + padded(index) }

    /// The index in a journal or snapshot file name; nil for any other name.
    static func index(_ name: String, prefix: String) -> UInt64? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        // Far beyond any real index (a segment every second for millions of years), and leaves
        // room for the arithmetic on the next one.
        guard let index = UInt64(digits), index < 1 << 48 else { return nil }
        return index
    }

    private static func padded(_ index: UInt64) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
