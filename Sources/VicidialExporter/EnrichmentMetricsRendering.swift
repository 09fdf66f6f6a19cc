import AgentLedger
import Exposition
import VicidialDatabase

/// The families enrichment adds (only with `--vicidial.db-dsn`): who the agents are, which
/// campaign they are logged into, and the poller's own health.
extension ExpositionWriter {
    mutating func writeEnrichmentMetrics(_ status: Enrichment.Status, agents snapshot: LedgerSnapshot) {
        writePauseCodeSeconds(snapshot)

        family(
            "vicidial_agent_info", type: .gauge,
            help: "1 for each tracked agent with a vicidial_users row: full name and user group, for joins on user.")
        for (user, row) in status.directory.users.sorted(by: { $0.key < $1.key }) {
            gauge(["user": user, "full_name": row.fullName, "user_group": row.userGroup], 1)
        }

        family(
            "vicidial_agent_campaign_info", type: .gauge,
            help: "1 while the agent is logged into the campaign (vicidial_live_agents).")
        for (user, agent) in status.directory.liveAgents.sorted(by: { $0.key < $1.key }) where !agent.campaign.isEmpty {
            gauge(["user": user, "campaign": agent.campaign], 1)
        }

        family("vicidial_exporter_db_up", type: .gauge, help: "1 if the last poll of VICIdial's database succeeded, 0 if not.")
        gauge([:], status.up ? 1 : 0)

        family("vicidial_exporter_db_poll_duration_seconds", type: .gauge, help: "Seconds the last poll of VICIdial's database took.")
        if let duration = status.lastPollDurationSeconds { gauge([:], duration) }

        family(
            "vicidial_exporter_db_errors", type: .counter,
            help: "Failed polls of VICIdial's database, by reason: connect, auth, missing_table, lost (connection lost or timed out), query.")
        for reason in DatabaseError.Reason.allCases {
            counter(["reason": reason.rawValue], Double(status.errors[reason] ?? 0))
        }
    }

    /// The pause-code family, kept by the ledger (`backfill` writes it without enrichment's others).
    mutating func writePauseCodeSeconds(_ snapshot: LedgerSnapshot) {
        family(
            "vicidial_agent_pause_code_seconds", type: .counter,
            help: "Seconds of closed pauses by the pause code VICIdial recorded (vicidial_agent_log.sub_status): "
                + "no_code without one, unknown when it could not be learned; they add up to the pause state's seconds.")
        snapshot.forEachAgent { agent in
            for (code, seconds) in agent.pauseCodeSeconds.sorted(by: { $0.key < $1.key }) {
                counter(["user": agent.user, "pause_code": code], seconds)
            }
        }
    }
}
