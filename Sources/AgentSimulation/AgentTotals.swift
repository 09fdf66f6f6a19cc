/// What the exporter must hold for one agent once the run is over: the simulator's expectation,
/// printed as JSON (snake_case keys as below; maps list only non-zero counts, as the exporter's series do).
public struct AgentTotals: Sendable, Equatable, Codable {
    public var stateSeconds = StateSeconds()
    public var calls = 0
    /// Per `dispo_set` status.
    public var dispositions: [String: Int] = [:]
    public var logins = 0
    /// Per `logged_out` reason (NORMAL, CLOSE).
    public var logouts: [String: Int] = [:]
    /// Per event name: every push sent.
    public var events: [String: Int] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case stateSeconds = "state_seconds"
        case calls, dispositions, logins, logouts, events
    }
}

/// Whole seconds per state (epochs have 1 s resolution, so every total is an integer).
public struct StateSeconds: Sendable, Equatable, Codable {
    public var pause = 0
    public var wait = 0
    public var talk = 0
    public var dead = 0
    public var dispo = 0

    public init() {}

    public subscript(state: SimulatedState) -> Int {
        get {
            switch state {
            case .pause: pause
            case .wait: wait
            case .talk: talk
            case .dead: dead
            case .dispo: dispo
            }
        }
        set {
            switch state {
            case .pause: pause = newValue
            case .wait: wait = newValue
            case .talk: talk = newValue
            case .dead: dead = newValue
            case .dispo: dispo = newValue
            }
        }
    }

    /// Logged-in seconds.
    public var total: Int { pause + wait + talk + dead + dispo }
}
