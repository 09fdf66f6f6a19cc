/// What VICIdial's server writes to its own tables as the simulated agents act, as SQL: the
/// simulator plays that part with `vicidial-agent-sim --vicidial.db-dsn`, so an exporter with
/// enrichment sees user groups, campaigns and pause codes (docs/enrichment.md).
///
/// Modelled on VICIdial's agent screen and its server side (agc/vdc_db_query.php):
/// - login: a `vicidial_live_agents` row (PAUSED, the agent's campaign) and a `vicidial_agent_log`
///   row from that second, whose pause VICIdial codes `LOGIN`;
/// - a pause from READY, and the disposition (VICIdial opens the next row paused): a new row;
/// - a pause code picked (after `pause_code_open`): the row's `sub_status` when it has none, else
///   (another code in the same pause) a new row from that second with the new code, as
///   PauseCodeSubmit does; `vicidial_live_agents.pause_code` either way;
/// - READY and a call: the live row's status; logout: the live row goes.
///
/// Pure: statements come out in the order the pushes go in. Agents are spread over two user
/// groups and two campaigns by their place in the roster.
public struct VicidialTables: Sendable {
    public static let userGroups = ["SALES", "SUPPORT"]
    public static let campaigns = ["OUTB", "INB"]
    /// The codes simulated agents pick, in turn per agent.
    public static let pauseCodes = ["BREAK", "LUNCH", "TRAIN", "MEET"]

    private struct Agent {
        let index: Int
        var row: Int
        var rowHasCode = false
        var codesPicked = 0
    }

    private var agents: [String: Agent] = [:]
    private let serverIP = "10.0.0.1"

    /// `users`: the simulated roster, in order.
    public init(users: [String]) {
        for (index, user) in users.enumerated() {
            agents[user] = Agent(index: index, row: 5_000_000 + index * 100_000)
        }
    }

    /// Clears what an earlier run left for these users and writes their `vicidial_users` rows.
    public func reset() -> [String] {
        let users = agents.keys.sorted()
        let list = users.map(Self.literal).joined(separator: ",")
        var statements = [
            "DELETE FROM vicidial_live_agents WHERE user IN (\(list))",
            "DELETE FROM vicidial_agent_log WHERE user IN (\(list))",
            "DELETE FROM vicidial_users WHERE user IN (\(list))",
        ]
        for user in users {
            let index = agents[user]!.index
            statements.append(
                "INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES (\(Self.literal(user)), 'x', "
                    + "\(Self.literal("Simulated agent \(index + 1)")), \(Self.literal(Self.group(of: index))))")
        }
        return statements
    }

    /// The statements VICIdial's server would run for `push`.
    public mutating func statements(for push: SimulatedPush) -> [String] {
        guard var agent = agents[push.user] else { return [] }
        defer { agents[push.user] = agent }
        let user = Self.literal(push.user)
        let campaign = Self.literal(Self.campaign(of: agent.index))
        switch push.event {
        case .loggedIn:
            let row = newRow(&agent, push, code: "LOGIN")
            return [
                "DELETE FROM vicidial_live_agents WHERE user = \(user)", row,
                "INSERT INTO vicidial_live_agents (user, server_ip, lead_id, campaign_id, status, pause_code, agent_log_id) "
                    + "VALUES (\(user), '\(serverIP)', 0, \(campaign), 'PAUSED', 'LOGIN', \(agent.row))",
            ]
        case .statePaused, .dispoSet:
            let row = newRow(&agent, push, code: "")
            return [row, "UPDATE vicidial_live_agents SET status = 'PAUSED', pause_code = '', agent_log_id = \(agent.row) WHERE user = \(user)"]
        case .pauseCodeOpen:
            let code = Self.pauseCodes[(agent.index + agent.codesPicked) % Self.pauseCodes.count]
            agent.codesPicked += 1
            let recorded =
                agent.rowHasCode
                ? newRow(&agent, push, code: code)
                : "UPDATE vicidial_agent_log SET sub_status = \(Self.literal(code)), pause_type = 'AGENT' WHERE agent_log_id = \(agent.row)"
            agent.rowHasCode = true
            return [recorded, "UPDATE vicidial_live_agents SET pause_code = \(Self.literal(code)), agent_log_id = \(agent.row) WHERE user = \(user)"]
        case .stateReady:
            return ["UPDATE vicidial_live_agents SET status = 'READY', pause_code = '' WHERE user = \(user)"]
        case .callAnswered:
            return ["UPDATE vicidial_live_agents SET status = 'INCALL' WHERE user = \(user)"]
        case .loggedOut, .loggedOutComplete:
            return ["DELETE FROM vicidial_live_agents WHERE user = \(user)"]
        default:
            return []
        }
    }

    /// A new `vicidial_agent_log` row for the agent, its pause from the push's second.
    private func newRow(_ agent: inout Agent, _ push: SimulatedPush, code: String) -> String {
        agent.row += 1
        agent.rowHasCode = !code.isEmpty
        return "INSERT INTO vicidial_agent_log (agent_log_id, user, server_ip, event_time, campaign_id, pause_epoch, wait_epoch, "
            + "user_group, sub_status, pause_type) VALUES (\(agent.row), \(Self.literal(push.user)), '\(serverIP)', "
            + "FROM_UNIXTIME(\(push.epoch)), \(Self.literal(Self.campaign(of: agent.index))), \(push.epoch), \(push.epoch), "
            + "\(Self.literal(Self.group(of: agent.index))), \(code.isEmpty ? "NULL" : Self.literal(code)), "
            + "'\(code == "LOGIN" ? "SYSTEM" : code.isEmpty ? "UNDEFINED" : "AGENT")')"
    }

    static func group(of index: Int) -> String { userGroups[index % userGroups.count] }

    static func campaign(of index: Int) -> String { campaigns[(index / 2) % campaigns.count] }

    /// A string literal; the simulator's own names and codes, with quotes and backslashes escaped anyway.
    static func literal(_ text: String) -> String {
        var literal = "'"
        for character in text {
            if character == "\\" || character == "'" { literal.append("\\") }
            literal.append(character)
        }
        return literal + "'"
    }
}
