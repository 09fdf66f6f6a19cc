/// A simulated contact center: every agent's script for one run.
public struct ContactCenter: Sendable, Equatable {
    public let scripts: [AgentScript]

    public init(_ configuration: SimulationConfiguration) {
        precondition(configuration.span >= SimulationConfiguration.minimumSpan, "span below \(SimulationConfiguration.minimumSpan) s")
        precondition(configuration.heartbeatInterval >= 1, "heartbeat interval below 1 s")
        scripts = configuration.users.enumerated().map { index, user in
            AgentBehaviour.script(user: user, index: index, configuration: configuration)
        }
    }

    /// What the exporter must hold per user once every push has arrived.
    public var totals: [String: AgentTotals] {
        Dictionary(uniqueKeysWithValues: scripts.map { ($0.user, $0.totals) })
    }
}
