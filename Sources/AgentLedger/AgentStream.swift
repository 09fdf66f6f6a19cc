/// One agent's stream of pushes: puts them back in the order the agent screen fired them
/// (`EventSequence`: counters, page loads, gaps held for the reorder window) and places each
/// on the agent's own clock (`ClockOffset`), so the account downstream sees ordered, timed events.
struct AgentStream: Sendable, Equatable {
    private(set) var sequence = EventSequence()
    /// Maps receive times onto the agent's epoch clock.
    private var clockOffset = ClockOffset()
    /// Receive time of the latest accepted event (drives the session timeout and expiry).
    private(set) var lastReceivedAt: Double
    /// Time of the latest accepted event, on the agent's epoch clock.
    private(set) var lastEventTime: Double?

    /// What one push did to the stream.
    struct Arrival {
        /// Events whose wait ended by the push's arrival: they go to the account first.
        var released: [TimedEvent]
        var verdict: EventSequence.Verdict
        /// The push itself, timed.
        var timed: TimedEvent
        /// Events now in order, the push among them unless held, late or a duplicate; `wasHeld` marks those that waited.
        var ready: [(event: TimedEvent, wasHeld: Bool)]
    }

    init(receivedAt: Double) {
        lastReceivedAt = receivedAt
    }

    init(sequence: EventSequence, clockOffset: ClockOffset, lastReceivedAt: Double, lastEventTime: Double?) {
        self.sequence = sequence
        self.clockOffset = clockOffset
        self.lastReceivedAt = lastReceivedAt
        self.lastEventTime = lastEventTime
    }

    var isHolding: Bool { sequence.isHolding }

    /// When the earliest waiting event is due (receive clock); nil when nothing waits.
    func releaseDeadline(window: Double) -> Double? { sequence.releaseDeadline(window: window) }

    /// `now` (receive clock) on the agent's epoch clock.
    func agentTime(at now: Double) -> Double { now - (clockOffset.estimate ?? 0) }

    /// Takes a push received at `receivedAt`. Its time is its `epoch` when within `maxSkew` of
    /// the receive time, else the receive time moved onto the agent's clock, so one unstamped
    /// push in a stamped stream cannot drag the agent's time forward by the network delay.
    mutating func receive(_ event: LedgerEvent, at receivedAt: Double, maxSkew: Double, window: Double) -> Arrival {
        let timed = timed(event, receivedAt: receivedAt, maxSkew: maxSkew)
        let released = sequence.release(at: receivedAt, window: window)
        let delivery = sequence.receive(timed, window: window)
        if delivery.verdict != .duplicate { noteAccepted(timed) }
        return Arrival(released: released, verdict: delivery.verdict, timed: timed, ready: delivery.ready)
    }

    /// Releases what is due by `now`: held events whose wait is over, a new page's first events.
    mutating func release(at now: Double, window: Double) -> [TimedEvent] {
        sequence.release(at: now, window: window)
    }

    private func timed(_ event: LedgerEvent, receivedAt: Double, maxSkew: Double) -> TimedEvent {
        if let epoch = event.epoch, abs(Double(epoch) - receivedAt) <= maxSkew {
            return TimedEvent(event: event, time: Double(epoch), receivedAt: receivedAt, epochTrusted: true)
        }
        return TimedEvent(event: event, time: agentTime(at: receivedAt), receivedAt: receivedAt, epochTrusted: false)
    }

    private mutating func noteAccepted(_ timed: TimedEvent) {
        lastReceivedAt = max(lastReceivedAt, timed.receivedAt)
        lastEventTime = max(lastEventTime ?? timed.time, timed.time)
        if timed.epochTrusted { clockOffset.record(timed.receivedAt - timed.time) }
    }
}

// Encoded flat, next to the agent's account, with the keys ledger snapshots have always used.
extension AgentStream: Codable {}
