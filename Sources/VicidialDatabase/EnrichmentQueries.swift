/// The read-only queries enrichment runs, each on an indexed or small table (docs/enrichment.md
/// lists the grants they need).
enum EnrichmentQueries {
    /// One row per logged-in agent; VICIdial's own real-time report reads this table all day.
    static let liveAgents = "SELECT user, campaign_id, status, pause_code, agent_log_id FROM vicidial_live_agents"

    /// Users per query: `user` is `vicidial_users`' unique key, so each is one index lookup.
    static let usersPerQuery = 500

    /// Rows per query of `vicidial_agent_log`, each found by its primary key.
    static let rowsPerQuery = 500

    /// The pause part of `vicidial_agent_log` rows, by primary key (`agent_log_id`).
    static func pauseCodeRows(_ ids: ArraySlice<UInt32>) -> String {
        "SELECT agent_log_id, user, pause_epoch, sub_status FROM vicidial_agent_log WHERE agent_log_id IN ("
            + ids.map(String.init).joined(separator: ",") + ")"
    }

    /// The tracked users' names and groups; `quotedUsers` are SQL string literals.
    static func users(_ quotedUsers: ArraySlice<String>) -> String {
        "SELECT user, full_name, user_group FROM vicidial_users WHERE user IN (" + quotedUsers.joined(separator: ",") + ")"
    }

    /// The columns of each query above, reading no row: what `vicidial-exporter check` runs to
    /// prove the tables are there and the user may read them (privileges are checked even so).
    static let probes = [liveAgents, users(["''"]), pauseCodeRows([0])].map { $0 + " LIMIT 0" }
}
