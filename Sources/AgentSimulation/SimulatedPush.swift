/// One push of an agent screen: the fields VICIdial fills into the Agent Push URL, and when it fires.
public struct SimulatedPush: Sendable, Hashable {
    public var user: String
    public var event: SimulatedEvent
    public var message: String
    /// The lead on screen, empty between calls.
    public var leadID: String
    /// Per page load: 0 at page load, +1 after every push.
    public var counter: Int
    /// Simulated Unix seconds (the web server's time at the screen's last poll).
    public var epoch: Int64
    public var agentLogID: Int
    /// Simulated seconds since the start of the run (`epoch` minus the run's start epoch).
    public var time: Int

    public init(
        user: String, event: SimulatedEvent, message: String = "", leadID: String = "", counter: Int, epoch: Int64,
        agentLogID: Int, time: Int
    ) {
        self.user = user
        self.event = event
        self.message = message
        self.leadID = leadID
        self.counter = counter
        self.epoch = epoch
        self.agentLogID = agentLogID
        self.time = time
    }
}
