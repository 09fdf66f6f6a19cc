/// One decoded, validated agent event push.
///
/// The numeric fields are optional: the get2post.php relay cuts every field after a `?` in
/// the message, so a value that is not a number is treated as absent rather than rejected. A
/// number beyond its field's range (`NumericField`) is rejected, so every value here is one the
/// ledger can do arithmetic on without overflow.
public struct AgentEvent: Hashable, Sendable, Codable {
    /// vicidial_users.user: 1-20 characters, no control characters.
    public var user: String
    public var event: EventName
    /// Event detail; may be empty (dispo_set carries the status, logged_out the reason).
    public var message: String
    /// vicidial_list.lead_id (INT UNSIGNED).
    public var leadID: UInt32?
    /// Per page-load sequence number of the agent screen, restarting at 0 on reload;
    /// at most `NumericField.counter.maximum`.
    public var counter: Int?
    /// The VICIdial web server's Unix time (seconds) from the screen's last poll;
    /// at most `NumericField.epoch.maximum`.
    public var epoch: Int64?
    /// vicidial_agent_log.agent_log_id (INT UNSIGNED).
    public var agentLogID: UInt32?

    public init(
        user: String,
        event: EventName,
        message: String = "",
        leadID: UInt32? = nil,
        counter: Int? = nil,
        epoch: Int64? = nil,
        agentLogID: UInt32? = nil
    ) {
        self.user = user
        self.event = event
        self.message = message
        self.leadID = leadID
        self.counter = counter
        self.epoch = epoch
        self.agentLogID = agentLogID
    }
}
