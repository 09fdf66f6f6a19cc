/// The fields of an agent push, under the names VICIdial's placeholders give them, and the
/// ingest token the Agent Push URL may carry (`--ingest.token-file`).
enum EventField: String, CaseIterable {
    case user
    case event
    case message
    case leadID = "lead_id"
    case counter
    case epoch
    case agentLogID = "agent_log_id"
    /// Not part of the event: checked, then dropped (never stored, logged or echoed).
    case token

    /// The fields that make up the event.
    static let eventFields = allCases.filter { $0 != .token }

    /// The field whose name is exactly `bytes` (case-sensitive), found without allocating:
    /// the first two bytes pick the only candidate, which is then compared in full.
    init?(name bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 2 else { return nil }
        let candidate: EventField
        switch bytes[0] {
        case UInt8(ascii: "u"): candidate = .user
        case UInt8(ascii: "e"): candidate = bytes[1] == UInt8(ascii: "v") ? .event : .epoch
        case UInt8(ascii: "m"): candidate = .message
        case UInt8(ascii: "l"): candidate = .leadID
        case UInt8(ascii: "c"): candidate = .counter
        case UInt8(ascii: "a"): candidate = .agentLogID
        case UInt8(ascii: "t"): candidate = .token
        default: return nil
        }
        var name = candidate.rawValue
        guard name.withUTF8({ $0.elementsEqual(bytes) }) else { return nil }
        self = candidate
    }
}

/// Field values as received, before validation; nil for a field that was not sent.
struct RawFields {
    private var user, event, message, leadID, counter, epoch, agentLogID, token: String?

    subscript(field: EventField) -> String? {
        get {
            switch field {
            case .user: user
            case .event: event
            case .message: message
            case .leadID: leadID
            case .counter: counter
            case .epoch: epoch
            case .agentLogID: agentLogID
            case .token: token
            }
        }
        set {
            switch field {
            case .user: user = newValue
            case .event: event = newValue
            case .message: message = newValue
            case .leadID: leadID = newValue
            case .counter: counter = newValue
            case .epoch: epoch = newValue
            case .agentLogID: agentLogID = newValue
            case .token: token = newValue
            }
        }
    }
}
