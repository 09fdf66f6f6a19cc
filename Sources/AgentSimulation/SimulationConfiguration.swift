/// What to simulate: who, for how long (in simulated seconds) and from which seed.
public struct SimulationConfiguration: Sendable, Equatable {
    /// Shorter runs leave no room for a shift (logins spread, calls, a logout).
    public static let minimumSpan = 60
    /// Agents rarely reload the agent screen more often than this.
    public static let defaultMinimumPageLifetime = 600

    public var agents: Int
    /// User IDs are the prefix and a zero-padded number: sim001, sim002, ...
    public var usersPrefix: String
    public var seed: UInt64
    /// Simulated seconds the run covers; every agent has logged out by its end.
    public var span: Int
    /// The Unix time of simulated second 0.
    public var startEpoch: Int64
    /// Simulated seconds between two READY heartbeats (VICIdial sends one about every second).
    public var heartbeatInterval: Int
    /// Agents who pause right after login and stay paused until they log out at the end.
    public var longPauseUsers: Set<String>
    /// Simulated seconds a page stays open at least before its agent may reload it. The exporter cannot
    /// tell two page loads apart that reach it within one reorder window, so at high speed this must
    /// span that window (and the jitter) in real time.
    public var minimumPageLifetime: Int
    /// Simulated seconds after a page load before its agent does anything, so the page's first pushes
    /// reach the exporter before its later ones: the exporter tells a new page by its low counters
    /// (8 or less), and delivery jitter at high speed spans many simulated seconds.
    public var pageSettleTime: Int

    public init(
        agents: Int = 50, usersPrefix: String = "sim", seed: UInt64 = 1, span: Int, startEpoch: Int64,
        heartbeatInterval: Int = 5, longPauseUsers: Set<String> = [],
        minimumPageLifetime: Int = SimulationConfiguration.defaultMinimumPageLifetime, pageSettleTime: Int = 0
    ) {
        self.agents = agents
        self.usersPrefix = usersPrefix
        self.seed = seed
        self.span = span
        self.startEpoch = startEpoch
        self.heartbeatInterval = heartbeatInterval
        self.longPauseUsers = longPauseUsers
        self.minimumPageLifetime = minimumPageLifetime
        self.pageSettleTime = pageSettleTime
    }

    public var users: [String] {
        let width = max(3, String(agents).count)
        return (0..<agents).map { index in
            let digits = String(index + 1)
            return usersPrefix + String(repeating: "0", count: width - digits.count) + digits
        }
    }
}
