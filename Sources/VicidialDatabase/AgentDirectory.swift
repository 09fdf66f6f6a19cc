/// What VICIdial's database says about the agents, as of the last good poll.
public struct AgentDirectory: Sendable, Equatable {
    /// A row of `vicidial_users`.
    public struct User: Sendable, Equatable {
        public var fullName: String
        public var userGroup: String

        public init(fullName: String, userGroup: String) {
            self.fullName = fullName
            self.userGroup = userGroup
        }
    }

    /// A row of `vicidial_live_agents`: an agent logged in now.
    public struct LiveAgent: Sendable, Equatable {
        /// `campaign_id`: the campaign the agent is logged into.
        public var campaign: String
        /// `status`: READY, QUEUE, INCALL, PAUSED, CLOSER or MQUEUE.
        public var status: String
        /// `pause_code`: the code chosen for the current pause, empty when none.
        public var pauseCode: String
        /// `agent_log_id`: the agent's current `vicidial_agent_log` row.
        public var agentLogID: UInt32?

        public init(campaign: String, status: String, pauseCode: String, agentLogID: UInt32?) {
            self.campaign = campaign
            self.status = status
            self.pauseCode = pauseCode
            self.agentLogID = agentLogID
        }
    }

    /// By user: the tracked agents that have a `vicidial_users` row.
    public var users: [String: User]
    /// By user: every row of `vicidial_live_agents`.
    public var liveAgents: [String: LiveAgent]

    public init(users: [String: User] = [:], liveAgents: [String: LiveAgent] = [:]) {
        self.users = users
        self.liveAgents = liveAgents
    }
}
