/// An accepted event with the time it is accounted at, fixed when it was received.
struct TimedEvent: Sendable, Codable, Equatable {
    var event: LedgerEvent
    /// On the agent's epoch clock (see `AgentRecord.eventTime`).
    var time: Double
    /// The exporter's receive time; drives the reorder window.
    var receivedAt: Double
    /// Whether `time` is the event's own epoch (within the allowed skew of `receivedAt`).
    var epochTrusted: Bool

    init(event: LedgerEvent, time: Double, receivedAt: Double, epochTrusted: Bool) {
        self.event = event
        self.time = time
        self.receivedAt = receivedAt
        self.epochTrusted = epochTrusted
    }
}
