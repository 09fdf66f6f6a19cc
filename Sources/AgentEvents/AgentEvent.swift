/// One decoded, validated agent event push.
///
/// `counter` and `epoch` are optional: the get2post.php relay cuts every field after a `?` in
/// the message, and a non-numeric value is treated as absent rather than rejected.
public struct AgentEvent: Hashable, Sendable, Codable {
    /// vicidial_users.user: 1-20 characters, no control characters.
    public var user: String
    public var event: EventName
    /// Event detail; may be empty (dispo_set carries the status, logged_out the reason).
    public var message: String
    public var leadID: String?
    /// Per page-load sequence number of the agent screen, restarting at 0 on reload.
    public var counter: Int?
    /// The VICIdial web server's Unix time (seconds) from the screen's last poll.
    public var epoch: Int64?
    public var agentLogID: String?

    public init(
        user: String,
        event: EventName,
        message: String = "",
        leadID: String? = nil,
        counter: Int? = nil,
        epoch: Int64? = nil,
        agentLogID: String? = nil
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
