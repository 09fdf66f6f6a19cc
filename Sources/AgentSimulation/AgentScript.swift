/// One agent's simulated shift: every push its screen sends, in the order it fires them, and the
/// totals the simulation put it through.
public struct AgentScript: Sendable, Equatable {
    /// One page load's login to its logout, in simulated seconds since the start of the run.
    public struct Session: Sendable, Equatable {
        public var login: Int
        public var logout: Int
    }

    public let user: String
    public internal(set) var pushes: [SimulatedPush] = []
    public internal(set) var totals = AgentTotals()
    public internal(set) var sessions: [Session] = []

    init(user: String) {
        self.user = user
    }
}
