import AgentSimulation

/// stdout's one JSON object: the totals the exporter must hold per agent once the run is over,
/// and how many pushes were answered 2xx (`sent`) or not (`failed`: error status or connection error).
struct RunReport: Encodable {
    let agents: [String: AgentTotals]
    let sent: Int
    let failed: Int
}
