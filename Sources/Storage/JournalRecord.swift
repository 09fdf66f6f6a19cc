import AgentEvents
import AgentLedger

/// One operation on the ledger, as the journal keeps it: replaying the records in order through
/// `AgentLedger` rebuilds exactly the ledger that took them live, because each carries the
/// time it was applied at.
public enum JournalRecord: Sendable, Equatable {
    /// An accepted push, with the exporter's receive time.
    case event(AgentEvent, receivedAt: Double)
    /// `AgentLedger.advance(to:)`, as a scrape (or a storage probe) ran it: it releases held
    /// events, closes out timed-out sessions and expires agents as of that time.
    case advance(to: Double)
    /// `AgentLedger.learnPauseCodes(_:polledAt:)`: what a poll of VICIdial's database that began
    /// at `polledAt` read, by user.
    case pauseCodes([String: [PauseCodeRow]], polledAt: Double)

    /// When the record was applied: the receive time, the advance's time or the poll's start
    /// (the exporter's clock, Unix seconds).
    public var time: Double {
        switch self {
        case .event(_, let receivedAt): receivedAt
        case .advance(let time): time
        case .pauseCodes(_, let polledAt): polledAt
        }
    }

    private enum Kind: UInt8 {
        case event = 1
        case advance = 2
        case pauseCodes = 3
    }

    /// Which optional numeric fields follow, one bit each.
    private enum Present {
        static let leadID: UInt8 = 1
        static let counter: UInt8 = 2
        static let epoch: UInt8 = 4
        static let agentLogID: UInt8 = 8
    }

    /// The record's payload: a kind byte, the time, then the event's fields (strings are
    /// length-prefixed UTF-8, numbers little-endian or LEB128).
    public var encoded: [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .event(let event, let receivedAt):
            writer.u8(Kind.event.rawValue)
            writer.double(receivedAt)
            writer.string(event.user)
            writer.string(event.event.rawValue)
            writer.string(event.message)
            var present: UInt8 = 0
            if event.leadID != nil { present |= Present.leadID }
            if event.counter != nil { present |= Present.counter }
            if event.epoch != nil { present |= Present.epoch }
            if event.agentLogID != nil { present |= Present.agentLogID }
            writer.u8(present)
            if let leadID = event.leadID { writer.varint(UInt64(leadID)) }
            // Counters and epochs are never negative once validated; the bit pattern keeps any Int exact.
            if let counter = event.counter { writer.varint(UInt64(bitPattern: Int64(counter))) }
            if let epoch = event.epoch { writer.varint(UInt64(bitPattern: epoch)) }
            if let agentLogID = event.agentLogID { writer.varint(UInt64(agentLogID)) }
        case .advance(let time):
            writer.u8(Kind.advance.rawValue)
            writer.double(time)
        case .pauseCodes(let rows, let polledAt):
            // Users in order, so equal polls make equal bytes.
            writer.u8(Kind.pauseCodes.rawValue)
            writer.double(polledAt)
            writer.varint(UInt64(rows.count))
            for (user, userRows) in rows.sorted(by: { $0.key < $1.key }) {
                writer.string(user)
                writer.varint(UInt64(userRows.count))
                for row in userRows {
                    writer.varint(UInt64(row.agentLogID))
                    writer.double(row.pauseEpoch)
                    writer.string(row.code)
                }
            }
        }
        return writer.bytes
    }

    /// nil for a payload this build cannot read (a checksum-valid record of another kind or shape).
    public init?(decoding payload: ArraySlice<UInt8>) {
        var reader = ByteReader(payload)
        guard let kind = reader.u8().flatMap(Kind.init(rawValue:)), let time = reader.double() else { return nil }
        switch kind {
        case .advance:
            self = .advance(to: time)
        case .pauseCodes:
            guard let users = reader.varint(), users <= UInt64(payload.count) else { return nil }
            var rows: [String: [PauseCodeRow]] = [:]
            for _ in 0..<users {
                guard let user = reader.string(), let count = reader.varint(), count <= UInt64(payload.count) else { return nil }
                var userRows: [PauseCodeRow] = []
                for _ in 0..<count {
                    guard let id = reader.varint(), let agentLogID = UInt32(exactly: id), let pauseEpoch = reader.double(),
                        let code = reader.string()
                    else { return nil }
                    userRows.append(PauseCodeRow(agentLogID: agentLogID, pauseEpoch: pauseEpoch, code: code))
                }
                rows[user] = userRows
            }
            self = .pauseCodes(rows, polledAt: time)
        case .event:
            guard let user = reader.string(), let name = reader.string(), let message = reader.string(),
                let present = reader.u8()
            else { return nil }
            var event = AgentEvent(user: user, event: EventName(name), message: message)
            if present & Present.leadID != 0 {
                guard let value = reader.varint(), let leadID = UInt32(exactly: value) else { return nil }
                event.leadID = leadID
            }
            if present & Present.counter != 0 {
                guard let value = reader.varint() else { return nil }
                event.counter = Int(Int64(bitPattern: value))
            }
            if present & Present.epoch != 0 {
                guard let value = reader.varint() else { return nil }
                event.epoch = Int64(bitPattern: value)
            }
            if present & Present.agentLogID != 0 {
                guard let value = reader.varint(), let agentLogID = UInt32(exactly: value) else { return nil }
                event.agentLogID = agentLogID
            }
            self = .event(event, receivedAt: time)
        }
        guard reader.isAtEnd else { return nil }
    }
}

extension AgentLedger {
    /// Applies a journal record as the ledger took it live (replay).
    public mutating func apply(_ record: JournalRecord) {
        switch record {
        case .event(let event, let receivedAt): _ = ingest(event, receivedAt: receivedAt)
        case .advance(let time): advance(to: time)
        case .pauseCodes(let rows, let polledAt): learnPauseCodes(rows, polledAt: polledAt)
        }
    }
}
