import AgentEvents

/// What the ledger keeps of an accepted push: only what ordering and accounting read, so the
/// memory an agent's held and recent events take does not depend on what the pushes contain.
///
/// The free-text message is reduced to the one value the state machine or a label needs (see
/// `detail`), and the whole push is summed up in `fingerprint` for duplicate detection.
struct LedgerEvent: Sendable, Codable, Equatable {
    var event: EventName
    /// Within `0...NumericField.counter.maximum`, or nil.
    var counter: Int?
    var epoch: Int64?
    /// The message's meaning for the ledger: the disposition status label for dispo_set, the
    /// logout reason for logged_out and logged_out_complete, `CHECK-FOR-CALL` for an agent_alert
    /// that is a READY agent's poll, the event's label for an unknown event; empty otherwise.
    var detail: String
    /// Identifies the push (counter, event, epoch, whole message) among an agent's recent ones;
    /// deterministic across processes, so a restored ledger still recognises repeats.
    var fingerprint: UInt64

    /// The agent screen's READY poll message prefix.
    static let checkForCall = "CHECK-FOR-CALL"

    /// `event`, with its counter dropped when outside the accepted range (the decoder already
    /// rejects those; this keeps any other caller from making the ledger's arithmetic overflow),
    /// and `label` for a dispo_set (its status) or an unknown event (its name), already bounded
    /// by the ledger's label caps.
    init(_ event: AgentEvent, label: String) {
        self.event = event.event
        self.counter = event.counter.flatMap { (0...Int(NumericField.counter.maximum)).contains($0) ? $0 : nil }
        self.epoch = event.epoch
        switch event.event.known {
        case .dispoSet, nil:
            detail = label
        case .loggedOut, .loggedOutComplete:
            detail = LabelValues.logoutReason(event.message)
        case .agentAlert where event.message.hasPrefix(Self.checkForCall):
            detail = Self.checkForCall
        default:
            detail = ""
        }
        fingerprint = Self.fingerprint(event.event.rawValue, counter: counter, epoch: epoch, message: event.message)
    }

    /// 64-bit FNV-1a over the fields that make two pushes the same push.
    static func fingerprint(_ name: String, counter: Int?, epoch: Int64?, message: String) -> UInt64 {
        var hash = FNV1a()
        hash.mix(counter.map(Int64.init))
        hash.mix(epoch)
        for byte in name.utf8 { hash.mix(byte) }
        hash.mix(0)
        for byte in message.utf8 { hash.mix(byte) }
        return hash.value
    }
}

/// 64-bit FNV-1a, a byte at a time. A value type rather than closures over a local: a closure
/// passed on (`forEach(mix)`) boxed the running hash and checked every access to it at run
/// time, a sixth of the ledger's ingest time.
private struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// The value's 8 bytes, least significant first; 0xFF alone for nil.
    mutating func mix(_ number: Int64?) {
        guard let number else { return mix(0xFF) }
        var bits = UInt64(bitPattern: number)
        for _ in 0..<8 {
            mix(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }
}
