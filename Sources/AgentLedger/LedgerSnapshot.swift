/// A consistent view of the ledger at one scrape, safe to read without any lock.
public struct LedgerSnapshot: Sendable {
    let agents: AgentTable.View
    /// The advance the snapshot shows the agents at: how many there have been, and its time (receive clock).
    let advances: UInt64
    let advancedTo: Double
    public var histograms: LedgerHistograms
    public var statistics: LedgerStatistics

    public var agentCount: Int { agents.count }

    /// One agent, found by user (binary search in the user order).
    public func agent(_ user: String) -> AgentView? {
        let position = agents.orderPosition(of: user)
        guard position < agents.order.count, agents[agents.order[position]].user == user else { return nil }
        return AgentView(agent: agents[agents.order[position]], advances: advances, advancedTo: advancedTo)
    }

    /// Calls `body` with each agent, by user (a stable exposition order).
    public func forEachAgent(_ body: (AgentView) -> Void) {
        for slot in agents.order { body(AgentView(agent: agents[slot], advances: advances, advancedTo: advancedTo)) }
    }
}

/// One agent as a snapshot shows it: its account, with the accrual its last advance owes it.
public struct AgentView {
    public let agent: TrackedAgent
    let advances: UInt64
    let advancedTo: Double

    public var user: String { agent.user }
    public var escapedUser: [UInt8] { agent.escapedUser }
    public var account: AgentAccount { agent.account }
    public var lastEventTime: Double? { agent.lastEventTime }

    /// Seconds in `state`, accrued to the snapshot's advance.
    public func seconds(in state: AgentState) -> Double {
        let seconds = agent.account.stateSeconds[state.index]
        guard state == agent.account.state else { return seconds }
        return seconds + agent.pendingAccrual(advances: advances, advancedTo: advancedTo)
    }
}
