/// The mutually exclusive states a logged-in agent's time is split into (docs/accounting.md, "States").
///
/// VICIdial's own TALK is `talk + dead`; `talk` here is the customer part only.
public enum AgentState: String, CaseIterable, Sendable, Codable {
    case pause, wait, talk, dead, dispo

    /// Position in `AgentState.allCases`, used to index per-state arrays.
    @inlinable public var index: Int {
        switch self {
        case .pause: 0
        case .wait: 1
        case .talk: 2
        case .dead: 3
        case .dispo: 4
        }
    }

    var isInCall: Bool { self == .talk || self == .dead }
}
