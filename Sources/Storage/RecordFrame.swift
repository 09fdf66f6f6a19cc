/// How records sit in a journal segment: `[payload length: u32][CRC-32C of payload: u32][payload]`,
/// little-endian. A scan stops at the first frame that is incomplete or fails its checksum;
/// everything before it is good.
public enum RecordFrame {
    public static let headerSize = 8
    /// No record comes near this (an event is at most a request body, 64 KiB by default); a
    /// larger length is damage, not a record.
    public static let maxPayloadSize = 16 << 20

    public static func append(_ payload: [UInt8], to bytes: inout [UInt8]) {
        var writer = ByteWriter()
        writer.u32(UInt32(payload.count))
        writer.u32(CRC32C.checksum(payload))
        bytes.append(contentsOf: writer.bytes)
        bytes.append(contentsOf: payload)
    }

    /// Why a scan stopped before the end of the bytes.
    public enum Damage: String, Sendable, Equatable {
        /// The last frame is cut short: a write that did not finish (crash, full disk).
        case torn
        /// Zero bytes to the end: space the file system allocated but the data never reached.
        case zeroFilled = "zero_filled"
        /// A complete frame whose checksum does not match, or a length no record can have.
        case checksum
    }

    public struct Scan: Equatable {
        public var payloads: [ArraySlice<UInt8>]
        /// Offset just past the last good frame: where the segment is cut and writing resumes.
        public var goodEnd: Int
        /// nil when every byte up to the end belonged to a good frame.
        public var damage: Damage?
    }

    public static func scan(_ bytes: [UInt8], from start: Int) -> Scan {
        var payloads: [ArraySlice<UInt8>] = []
        var offset = start
        while offset < bytes.count {
            var reader = ByteReader(bytes[offset...])
            guard let length = reader.u32(), let checksum = reader.u32() else {
                return Scan(payloads: payloads, goodEnd: offset, damage: allZero(bytes[offset...]) ? .zeroFilled : .torn)
            }
            if length == 0 && checksum == 0 && allZero(bytes[offset...]) {
                return Scan(payloads: payloads, goodEnd: offset, damage: .zeroFilled)
            }
            guard length <= maxPayloadSize else { return Scan(payloads: payloads, goodEnd: offset, damage: .checksum) }
            let payloadStart = offset + headerSize
            guard bytes.count - payloadStart >= Int(length) else {
                return Scan(payloads: payloads, goodEnd: offset, damage: .torn)
            }
            let payload = bytes[payloadStart..<payloadStart + Int(length)]
            guard CRC32C.checksum(payload) == checksum else {
                return Scan(payloads: payloads, goodEnd: offset, damage: .checksum)
            }
            payloads.append(payload)
            offset = payloadStart + Int(length)
        }
        return Scan(payloads: payloads, goodEnd: offset, damage: nil)
    }

    private static func allZero(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.allSatisfy { $0 == 0 } }
}
