// A ledger snapshot is the ledger's JSON: agents keyed by user, each flat (its stream's and its
// account's fields side by side), in the layout snapshots had before the ledger was split into
// stages, so those still restore. The slot table and the deadlines are rebuilt, not stored.
extension AgentLedger: Codable {
    private enum CodingKeys: String, CodingKey {
        case configuration, agents, histograms, statistics, unknownEventNames, statusValues, pauseCodeValues, advancedTo, advances
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(configuration: try container.decode(LedgerConfiguration.self, forKey: .configuration))
        let agents = try container.decode([String: TrackedAgent].self, forKey: .agents)
        for (user, agent) in agents.sorted(by: { $0.key < $1.key }) {
            guard agent.user == user else {
                throw DecodingError.dataCorruptedError(
                    forKey: .agents, in: container, debugDescription: "agent \(agent.user) filed under \(user)")
            }
            reschedule(table.insert(agent))
        }
        tally.histograms = try container.decode(LedgerHistograms.self, forKey: .histograms)
        tally.statistics = try container.decode(LedgerStatistics.self, forKey: .statistics)
        unknownEventNames = try container.decode(Set<String>.self, forKey: .unknownEventNames)
        statusValues = try container.decode(Set<String>.self, forKey: .statusValues)
        pauseCodeValues = try container.decodeIfPresent(Set<String>.self, forKey: .pauseCodeValues) ?? []
        // Before lazy advances every agent was brought up to every advance: nothing is owed.
        advancedTo = try container.decodeIfPresent(Double.self, forKey: .advancedTo) ?? -.infinity
        advances = try container.decodeIfPresent(UInt64.self, forKey: .advances) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        var agents: [String: TrackedAgent] = [:]
        for slot in table.view.order { agents[table[slot].user] = table[slot] }
        try container.encode(agents, forKey: .agents)
        try container.encode(histograms, forKey: .histograms)
        try container.encode(statistics, forKey: .statistics)
        try container.encode(unknownEventNames, forKey: .unknownEventNames)
        try container.encode(statusValues, forKey: .statusValues)
        if !pauseCodeValues.isEmpty { try container.encode(pauseCodeValues, forKey: .pauseCodeValues) }
        if advancedTo.isFinite { try container.encode(advancedTo, forKey: .advancedTo) }
        try container.encode(advances, forKey: .advances)
    }
}

extension AgentLedger: Equatable {
    /// The same agents (as stored, not caught up), totals, label caps and advance: two ledgers
    /// that will report the same from here on, whatever slots their agents sit in.
    public static func == (lhs: AgentLedger, rhs: AgentLedger) -> Bool {
        lhs.configuration == rhs.configuration && lhs.histograms == rhs.histograms && lhs.statistics == rhs.statistics
            && lhs.unknownEventNames == rhs.unknownEventNames && lhs.statusValues == rhs.statusValues
            && lhs.pauseCodeValues == rhs.pauseCodeValues
            && lhs.advancedTo == rhs.advancedTo && lhs.advances == rhs.advances && lhs.storedAgents == rhs.storedAgents
    }

    private var storedAgents: [TrackedAgent] { table.view.order.map { table[$0] } }
}
