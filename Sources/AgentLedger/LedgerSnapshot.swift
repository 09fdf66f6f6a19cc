/// A consistent view of the ledger at one scrape, safe to read without any lock.
public struct LedgerSnapshot: Sendable {
    let agents: AgentTable.View
    /// The advance the snapshot shows the agents at: how many there have been, and its time (receive clock).
    let advances: UInt64
    let advancedTo: Double
    public var histograms: LedgerHistograms
    public var statistics: LedgerStatistics

    public var agentCount: Int { agents.count }

    /// Reads one agent, found by user (binary search in the user order); nil when not tracked.
    func withAgent<Result>(_ user: String, _ body: (AgentReading) -> Result) -> Result? {
        let position = agents.orderPosition(of: user)
        guard position < agents.order.count, agents[agents.order[position]].user == user else { return nil }
        return agents.withAgent(in: agents.order[position]) { body(AgentReading(agent: $0, advances: advances, advancedTo: advancedTo)) }
    }

    /// Calls `body` with each agent, by user (a stable exposition order), lent in place.
    public func forEachAgent(_ body: (AgentReading) -> Void) {
        forEachAgent(at: 0..<agentCount, body)
    }

    /// Calls `body` with the agents at `positions` in the user order (within `0..<agentCount`),
    /// lent in place: a slice of the exposition, for rendering it in parts.
    public func forEachAgent(at positions: Range<Int>, _ body: (AgentReading) -> Void) {
        agents.forEachInOrder(at: positions) { body(AgentReading(agent: $0, advances: advances, advancedTo: advancedTo)) }
    }
}

/// One agent, read in place during `LedgerSnapshot.forEachAgent`: each property reads one field.
///
/// Why not a copy of the agent: copying one retains every array and dictionary it holds (a
/// dozen), which at 10,000 agents was a third of a scrape's time. The pointer is valid only during the `forEachAgent` call that lends it
/// (keep the reading in the closure: it is not `Sendable`, and nothing stores it), and the
/// snapshot it points into is immutable (copy-on-write), so nothing can change under it.
public struct AgentReading {
    private let agent: UnsafePointer<TrackedAgent>
    private let advances: UInt64
    private let advancedTo: Double

    init(agent: UnsafePointer<TrackedAgent>, advances: UInt64, advancedTo: Double) {
        self.agent = agent
        self.advances = advances
        self.advancedTo = advancedTo
    }

    public var user: String { agent.pointee.user }
    /// Pause seconds by pause-code label, as attributed so far (enrichment).
    public var pauseCodeSeconds: [String: Double] { agent.pointee.pauseCodes.seconds }
    /// Whether a poll of VICIdial's database should read this agent's pause-code rows: it is
    /// paused, or a closed pause waits for its codes.
    public var awaitsPauseCodes: Bool { agent.pointee.account.state == .pause || !agent.pointee.pauseCodes.pending.isEmpty }
    /// The `agent_log_id`s of the rows the agent's pauses have been seen with.
    public var pauseCodeRowIDs: [UInt32] { agent.pointee.pauseCodes.rows.map(\.agentLogID) }
    public var escapedUser: [UInt8] { agent.pointee.escapedUser }
    public var state: AgentState? { agent.pointee.account.state }
    public var stateSince: Double? { agent.pointee.account.stateSince }
    public var calls: UInt64 { agent.pointee.account.calls }
    public var logins: UInt64 { agent.pointee.account.logins }
    public var logouts: [String: UInt64] { agent.pointee.account.logouts }
    public var dispositions: [String: UInt64] { agent.pointee.account.dispositions }
    public var knownEventCounts: [UInt64] { agent.pointee.account.knownEventCounts }
    public var unknownEventCounts: [String: UInt64] { agent.pointee.account.unknownEventCounts }
    public var lastEventTime: Double? { agent.pointee.stream.lastEventTime }

    /// Seconds in `state`, accrued to the snapshot's advance.
    public func seconds(in state: AgentState) -> Double {
        let seconds = agent.pointee.account.stateSeconds[state.index]
        guard state == agent.pointee.account.state else { return seconds }
        return seconds + agent.pointee.pendingAccrual(advances: advances, advancedTo: advancedTo)
    }
}
