/// The numeric fields of a push and the ranges they are accepted in.
///
/// Every bound keeps arithmetic on the value far from overflow (the ledger adds to counters and
/// subtracts epochs), and each is well beyond what VICIdial sends: the agent screen's counter
/// restarts at 0 on every page load and grows by one per push; epochs are 10-digit Unix times;
/// lead_id and agent_log_id are MySQL `INT UNSIGNED`.
public enum NumericField: String, Sendable, CaseIterable {
    case counter
    case epoch
    case leadID = "lead_id"
    case agentLogID = "agent_log_id"

    /// The largest accepted value; a larger number is rejected (`EventRejection.outOfRange`).
    public var maximum: UInt64 {
        switch self {
        case .counter: 2_147_483_647  // 2^31 - 1: a page would need 68 years of one push a second
        case .epoch: 4_294_967_295  // 2^32 - 1: the year 2106
        case .leadID, .agentLogID: 4_294_967_295  // INT UNSIGNED
        }
    }

    /// The smallest meaningful value; below it (an epoch of 0) the field is absent.
    var minimum: UInt64 { self == .epoch ? 1 : 0 }

    /// The value of `text`: nil when it is not a number (absent), a rejection when it is a
    /// number out of range. Epochs may carry a fraction, which is truncated.
    func parse(_ text: String) -> Result<UInt64?, EventRejection> {
        var number = FieldText.trimmed(text)
        if self == .epoch, let dot = number.utf8.firstIndex(of: UInt8(ascii: ".")) {
            let fraction = number[number.utf8.index(after: dot)...]
            guard !fraction.isEmpty, fraction.utf8.allSatisfy(FieldText.isDigit) else { return .success(nil) }
            number = number[..<dot]
        }
        guard !number.isEmpty, number.utf8.allSatisfy(FieldText.isDigit) else { return .success(nil) }
        guard let value = FieldText.integer(number, as: UInt64.self), value <= maximum else {
            return .failure(.outOfRange(field: rawValue, value: Echo.text(number), maximum: maximum))
        }
        return .success(value >= minimum ? value : nil)
    }
}
