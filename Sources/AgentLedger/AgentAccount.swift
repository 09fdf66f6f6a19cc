import AgentEvents

/// One agent's accounting: the session state machine of docs/accounting.md, run over events the
/// agent's stream has already put in order and placed on the agent's clock.
///
/// It is pure and keeps nothing shared: what it sees end (calls, pause and dispo intervals) it
/// returns as `Observations`, and the ledger feeds those to its histograms.
struct AgentAccount: Sendable, Equatable {
    /// nil while the agent is not tracked: logged out, or seen only through events that imply no state.
    private(set) var state: AgentState?
    /// When `state` began, on the agent's epoch clock.
    private(set) var stateSince: Double?
    /// Seconds per state, indexed by `AgentState.index`.
    private(set) var stateSeconds: [Double] = Array(repeating: 0, count: AgentState.allCases.count)
    private(set) var calls: UInt64 = 0
    private(set) var logins: UInt64 = 0
    private(set) var logouts: [String: UInt64] = [:]
    private(set) var dispositions: [String: UInt64] = [:]
    /// Accepted events per known event name, indexed by `KnownEvent.ordinal`.
    private(set) var knownEventCounts: [UInt64] = Array(repeating: 0, count: KnownEvent.ordered.count)
    /// Accepted unknown events by label (their name, or `other` beyond the cap).
    private(set) var unknownEventCounts: [String: UInt64] = [:]

    /// Everything before this instant is accounted: a state's seconds accrue from here, and no
    /// event is placed before it, so time never runs backwards and nothing reported shrinks.
    private(set) var accountedUntil: Double = -.infinity
    /// Start of the current call when it was seen (nil when tracking began mid-call).
    private var callStart: Double?
    /// Start of the current pause or dispo interval when it was seen.
    private var intervalStart: Double?

    init() {}

    /// Counts an event and, when `movesState` (not a late event), runs the state machine on it.
    /// An unknown event is counted under `detail`, the label the ledger chose for its name.
    mutating func record(_ timed: TimedEvent, movesState: Bool) -> Observations {
        let event = timed.event
        if let known = event.event.known {
            knownEventCounts[known.ordinal] += 1
        } else {
            // An unknown event held in a snapshot older than the label in `detail` has it empty.
            unknownEventCounts[event.detail.isEmpty ? LabelValues.other : event.detail, default: 0] += 1
        }
        countFacts(of: event)
        var observations = Observations()
        guard movesState, let known = event.event.known else { return observations }
        let time = max(timed.time, accountedUntil)
        accrue(to: time)
        transition(on: known, detail: event.detail, at: time, observing: &observations)
        return observations
    }

    /// Accrues the open interval up to `time` (never backwards), so running states grow between events.
    mutating func accrue(to time: Double) {
        guard time > accountedUntil else { return }
        if let state, accountedUntil.isFinite {
            stateSeconds[state.index] += time - accountedUntil
        }
        accountedUntil = time
    }

    /// What `accrue(to: time)` would add to the current state, without changing anything.
    func pendingAccrual(to time: Double) -> Double {
        guard state != nil, time > accountedUntil, accountedUntil.isFinite else { return 0 }
        return time - accountedUntil
    }

    /// Ends a session nobody logged out of; the seconds already reported stay.
    mutating func closeOut(at time: Double) -> Observations {
        accrue(to: time)
        var observations = Observations()
        enter(nil, at: max(time, accountedUntil), observing: &observations)
        return observations
    }

    /// Counters that follow from the event itself, in or out of order.
    private mutating func countFacts(of event: LedgerEvent) {
        switch event.event.known {
        case .callAnswered, .otherAnswered:
            calls += 1
        case .loggedIn:
            logins += 1
        case .loggedOut:
            logouts[event.detail, default: 0] += 1
        case .loggedOutComplete where state != nil:
            // Ends a session whose logged_out never came; after logged_out it adds nothing.
            logouts[event.detail, default: 0] += 1
        case .dispoSet:
            dispositions[event.detail, default: 0] += 1
        default:
            break
        }
    }

    private mutating func transition(
        on event: KnownEvent, detail: String, at time: Double, observing observations: inout Observations
    ) {
        switch event {
        case .loggedIn:
            enter(nil, at: time, observing: &observations)  // a reload whose logged_out was lost
            enter(.pause, at: time, observing: &observations)
        case .loggedOut, .loggedOutComplete:
            enter(nil, at: time, observing: &observations)
        case .stateReady:
            enter(.wait, at: time, observing: &observations)
        case .statePaused:
            // With "pause after each call" state_paused fires before dispo_set: dispo runs on until dispo_set.
            if state == nil || state == .wait { enter(.pause, at: time, observing: &observations) }
        case .callAnswered, .otherAnswered:
            if state?.isInCall == true { finishCall(at: time, observing: &observations) }  // a new call without an end to the last
            enter(.talk, at: time, observing: &observations)
            callStart = time
        case .callDead:
            if state == .talk || state == nil { enter(.dead, at: time, observing: &observations) }
        case .agentHangup, .transferBlind, .transferLocalCloser, .threeWayAgentLeave:
            // agent_hangup is unreliable; whichever of these comes first ends TALK.
            if state == nil || state?.isInCall == true { enter(.dispo, at: time, observing: &observations) }
        case .dispoScreenOpen:
            if state != .dispo { enter(.dispo, at: time, observing: &observations) }
        case .dispoSet:
            // VICIdial opens the next agent_log row paused; a ready agent (state_ready came first) stays ready.
            if state != .wait { enter(.pause, at: time, observing: &observations) }
        case .agentAlert where state == nil && detail == LedgerEvent.checkForCall:
            enter(.wait, at: time, observing: &observations)  // only a READY agent polls for calls
        case .manualDialOpen, .callDialed, .pauseCodeOpen, .callbackSelectOpen:
            if state == nil { enter(.pause, at: time, observing: &observations) }  // dialing happens paused
        case .parkStarted, .parkRetrieved, .parkIVRStarted, .parkIVRRetrieved, .threeWayStart,
            .threeWayAnswered, .threeWayAgentHangup, .callScript:
            if state == nil { enter(.talk, at: time, observing: &observations) }  // first seen mid-call
        case .deadTriggerAudio, .deadTriggerURL, .deadTriggerURLSent, .customerGone:
            if state == nil { enter(.dead, at: time, observing: &observations) }
        default:
            break
        }
    }

    private mutating func finishCall(at time: Double, observing observations: inout Observations) {
        if let callStart { observations.callDuration = time - callStart }
        callStart = nil
    }

    /// Moves to `next`, closing the call and the pause or dispo interval it ends.
    private mutating func enter(_ next: AgentState?, at time: Double, observing observations: inout Observations) {
        guard next != state else { return }
        if let state {
            if state.isInCall, next?.isInCall != true { finishCall(at: time, observing: &observations) }
            if state == .pause || state == .dispo {
                if let intervalStart {
                    if state == .pause {
                        observations.pause = Observations.Interval(start: intervalStart, end: time)
                    } else {
                        observations.dispoDuration = time - intervalStart
                    }
                }
                intervalStart = nil
            }
        }
        if accountedUntil < time { accountedUntil = time }
        if next == .pause || next == .dispo { intervalStart = time }
        state = next
        stateSince = next == nil ? nil : time
    }
}

extension AgentAccount {
    /// What one event (or a close-out) ended, in seconds.
    ///
    /// One of each at most: a transition leaves one state (a call or an interval, never both,
    /// since the states exclude each other) and enters another, and only a new call_answered
    /// during a call both finishes that call and then enters TALK from a state that closes
    /// nothing; logged_in leaves the old state and enters PAUSE from no state.
    struct Observations: Equatable {
        /// A closed pause, on the agent's clock.
        struct Interval: Equatable {
            var start: Double
            var end: Double
        }

        var callDuration: Double?
        var pause: Interval?
        var dispoDuration: Double?
    }
}

// Encoded flat, next to the agent's stream, with the keys ledger snapshots have always used
// (`clock` is `accountedUntil`), so snapshots written before the split still restore.
extension AgentAccount: Codable {
    private enum CodingKeys: String, CodingKey {
        case state, stateSince, stateSeconds, calls, logins, logouts, dispositions, knownEventCounts, unknownEventCounts
        case accountedUntil = "clock"
        case callStart, intervalStart
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = try container.decodeIfPresent(AgentState.self, forKey: .state)
        stateSince = try container.decodeIfPresent(Double.self, forKey: .stateSince)
        stateSeconds = try container.decode([Double].self, forKey: .stateSeconds)
        calls = try container.decode(UInt64.self, forKey: .calls)
        logins = try container.decode(UInt64.self, forKey: .logins)
        logouts = try container.decode([String: UInt64].self, forKey: .logouts)
        dispositions = try container.decode([String: UInt64].self, forKey: .dispositions)
        knownEventCounts = try container.decode([UInt64].self, forKey: .knownEventCounts)
        unknownEventCounts = try container.decode([String: UInt64].self, forKey: .unknownEventCounts)
        accountedUntil = try container.decode(Double.self, forKey: .accountedUntil)
        callStart = try container.decodeIfPresent(Double.self, forKey: .callStart)
        intervalStart = try container.decodeIfPresent(Double.self, forKey: .intervalStart)
        guard stateSeconds.count == AgentState.allCases.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .stateSeconds, in: container, debugDescription: "\(stateSeconds.count) states, expected \(AgentState.allCases.count)")
        }
        // A build that knows more event names reads an older snapshot's shorter list.
        guard knownEventCounts.count <= KnownEvent.ordered.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .knownEventCounts, in: container,
                debugDescription: "\(knownEventCounts.count) event counts, this build knows \(KnownEvent.ordered.count) events")
        }
        knownEventCounts += Array(repeating: 0, count: KnownEvent.ordered.count - knownEventCounts.count)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(state, forKey: .state)
        try container.encodeIfPresent(stateSince, forKey: .stateSince)
        try container.encode(stateSeconds, forKey: .stateSeconds)
        try container.encode(calls, forKey: .calls)
        try container.encode(logins, forKey: .logins)
        try container.encode(logouts, forKey: .logouts)
        try container.encode(dispositions, forKey: .dispositions)
        try container.encode(knownEventCounts, forKey: .knownEventCounts)
        try container.encode(unknownEventCounts, forKey: .unknownEventCounts)
        try container.encode(accountedUntil, forKey: .accountedUntil)
        try container.encodeIfPresent(callStart, forKey: .callStart)
        try container.encodeIfPresent(intervalStart, forKey: .intervalStart)
    }
}
