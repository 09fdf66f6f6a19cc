/// A consistent view of the ledger at one scrape, safe to read without any lock.
public struct LedgerSnapshot: Sendable {
    /// Receive-clock time the snapshot was taken at.
    public var time: Double
    public var agents: [String: AgentRecord]
    public var histograms: LedgerHistograms
    public var statistics: LedgerStatistics

    /// Agents in a stable order, for deterministic output.
    public var sortedAgents: [AgentRecord] {
        agents.values.sorted { $0.user < $1.user }
    }
}
