import AgentLedger
import FoundationEssentials

/// A snapshot: the whole ledger as of the start of journal segment `FileHeader.sequence`,
/// as JSON (the ledger's `Codable` form; readable with `jq` when something needs explaining)
/// after a header that carries its length and CRC-32C.
enum SnapshotFile {
    enum Problem: Error, Equatable, CustomStringConvertible {
        case damaged(String)
        case newerVersion(UInt32)

        var description: String {
            switch self {
            case .damaged(let why): why
            case .newerVersion(let version): "written by a newer vicidial-exporter (format \(version); this build reads up to \(FileHeader.currentVersion))"
            }
        }
    }

    static func encode(_ ledger: AgentLedger, before segment: UInt64) -> [UInt8] {
        let encoder = JSONEncoder()
        // The ledger's clocks start at -infinity; JSON has no such number.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        // A ledger of Codable values with no custom encoders: encoding cannot fail.
        let payload = Array(try! encoder.encode(ledger))
        let header = FileHeader(
            kind: .snapshot, sequence: segment, payloadLength: UInt64(payload.count),
            payloadChecksum: CRC32C.checksum(payload))
        return header.encoded + payload
    }

    /// The ledger, and the first segment to replay after it.
    static func decode(_ bytes: [UInt8]) throws(Problem) -> (ledger: AgentLedger, segment: UInt64) {
        let header: FileHeader
        do {
            header = try FileHeader.decode(bytes, kind: .snapshot)
        } catch .newerVersion(let version) {
            throw .newerVersion(version)
        } catch {
            throw .damaged("damaged header")
        }
        let payload = bytes[FileHeader.size...]
        guard UInt64(payload.count) == header.payloadLength else {
            throw .damaged("\(payload.count) bytes after the header, the header says \(header.payloadLength)")
        }
        guard CRC32C.checksum(payload) == header.payloadChecksum else { throw .damaged("checksum mismatch") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        do {
            return (try decoder.decode(AgentLedger.self, from: Data(payload)), header.sequence)
        } catch {
            throw .damaged("unreadable ledger: \(error)")
        }
    }
}
