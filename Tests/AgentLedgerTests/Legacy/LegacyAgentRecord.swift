import AgentEvents
@testable import AgentLedger

/// Everything the ledger knows about one agent: the session state machine of DESIGN.md §3,
/// the accumulated counters and the event sequence being reordered.
struct LegacyRecord: Sendable, Codable, Equatable {
    let user: String
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
    private(set) var unknownEventCounts: [String: UInt64] = [:]
    /// Time of the latest accepted event, on the agent's epoch clock.
    private(set) var lastEventTime: Double?
    /// Receive time of the latest accepted event (drives the session timeout and expiry).
    private(set) var lastReceivedAt: Double

    /// Everything up to here is accounted: a state's seconds accrue from `clock`, and no event is
    /// placed before it, so time never runs backwards and nothing already reported shrinks.
    private var clock: Double = -.infinity
    /// Maps receive times onto the agent's epoch clock.
    private var clockOffset = LegacyClockOffset()
    /// Start of the current call when it was seen (nil when tracking began mid-call).
    private var callStart: Double?
    /// Start of the current pause or dispo interval when it was seen.
    private var intervalStart: Double?
    var sequence = LegacySequence()

    init(user: String, receivedAt: Double) {
        self.user = user
        self.lastReceivedAt = receivedAt
    }

    /// The time an event is accounted at: its `epoch` when within `maxSkew` of the receive time,
    /// else the receive time moved onto the agent's epoch clock, so one unstamped event in a
    /// stamped stream cannot drag the agent's time forward by the network delay.
    func timed(_ event: LedgerEvent, receivedAt: Double, maxSkew: Double) -> TimedEvent {
        if let epoch = event.epoch, abs(Double(epoch) - receivedAt) <= maxSkew {
            return TimedEvent(event: event, time: Double(epoch), receivedAt: receivedAt, epochTrusted: true)
        }
        return TimedEvent(event: event, time: agentTime(at: receivedAt), receivedAt: receivedAt, epochTrusted: false)
    }

    /// `now` (receive clock) on the agent's epoch clock.
    func agentTime(at now: Double) -> Double { now - (clockOffset.estimate ?? 0) }

    /// Records an accepted (not duplicate) event's arrival.
    mutating func noteAccepted(_ timed: TimedEvent) {
        lastReceivedAt = max(lastReceivedAt, timed.receivedAt)
        lastEventTime = max(lastEventTime ?? timed.time, timed.time)
        if timed.epochTrusted { clockOffset.record(timed.receivedAt - timed.time) }
    }

    /// Counts an event and, unless `movesState` is false (a late event), runs the state machine.
    mutating func apply(
        _ timed: TimedEvent,
        movesState: Bool,
        eventLabel: String?,
        histograms: inout LedgerHistograms
    ) {
        let event = timed.event
        if let known = event.event.known {
            knownEventCounts[known.ordinal] += 1
        } else if let eventLabel {
            unknownEventCounts[eventLabel, default: 0] += 1
        }
        countFacts(of: event)
        guard movesState, let known = event.event.known else { return }
        let time = max(timed.time, clock)
        accrue(to: time)
        transition(on: known, detail: event.detail, at: time, histograms: &histograms)
    }

    /// Accrues the open interval up to `time` (never backwards); called by scrapes so that
    /// running states grow smoothly.
    mutating func accrue(to time: Double) {
        guard time > clock else { return }
        if let state, clock.isFinite {
            stateSeconds[state.index] += time - clock
        }
        clock = time
    }

    /// Ends a session nobody logged out of; the seconds already reported stay.
    mutating func closeOut(at time: Double, histograms: inout LedgerHistograms) {
        accrue(to: time)
        enter(nil, at: max(time, clock), histograms: &histograms)
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
        on event: KnownEvent, detail: String, at time: Double, histograms: inout LedgerHistograms
    ) {
        switch event {
        case .loggedIn:
            enter(nil, at: time, histograms: &histograms)  // a reload whose logged_out was lost
            enter(.pause, at: time, histograms: &histograms)
        case .loggedOut, .loggedOutComplete:
            enter(nil, at: time, histograms: &histograms)
        case .stateReady:
            enter(.wait, at: time, histograms: &histograms)
        case .statePaused:
            // With "pause after each call" state_paused fires before dispo_set: dispo runs on until dispo_set.
            if state == nil || state == .wait { enter(.pause, at: time, histograms: &histograms) }
        case .callAnswered, .otherAnswered:
            if state?.isInCall == true { finishCall(at: time, histograms: &histograms) }  // a new call without an end to the last
            enter(.talk, at: time, histograms: &histograms)
            callStart = time
        case .callDead:
            if state == .talk || state == nil { enter(.dead, at: time, histograms: &histograms) }
        case .agentHangup, .transferBlind, .transferLocalCloser, .threeWayAgentLeave:
            // agent_hangup is unreliable; whichever of these comes first ends TALK.
            if state == nil || state?.isInCall == true { enter(.dispo, at: time, histograms: &histograms) }
        case .dispoScreenOpen:
            if state != .dispo { enter(.dispo, at: time, histograms: &histograms) }
        case .dispoSet:
            // VICIdial opens the next agent_log row paused; a ready agent (state_ready came first) stays ready.
            if state != .wait { enter(.pause, at: time, histograms: &histograms) }
        case .agentAlert where state == nil && detail == LedgerEvent.checkForCall:
            enter(.wait, at: time, histograms: &histograms)  // only a READY agent polls for calls
        case .manualDialOpen, .callDialed, .pauseCodeOpen, .callbackSelectOpen:
            if state == nil { enter(.pause, at: time, histograms: &histograms) }  // dialing happens paused
        case .parkStarted, .parkRetrieved, .parkIVRStarted, .parkIVRRetrieved, .threeWayStart,
            .threeWayAnswered, .threeWayAgentHangup, .callScript:
            if state == nil { enter(.talk, at: time, histograms: &histograms) }  // first seen mid-call
        case .deadTriggerAudio, .deadTriggerURL, .deadTriggerURLSent, .customerGone:
            if state == nil { enter(.dead, at: time, histograms: &histograms) }
        default:
            break
        }
    }

    private mutating func finishCall(at time: Double, histograms: inout LedgerHistograms) {
        if let callStart { histograms.callDuration.observe(time - callStart) }
        callStart = nil
    }

    /// Moves to `next`, closing the call and pause/dispo intervals it ends into the histograms.
    private mutating func enter(_ next: AgentState?, at time: Double, histograms: inout LedgerHistograms) {
        guard next != state else { return }
        if let state {
            if state.isInCall, next?.isInCall != true { finishCall(at: time, histograms: &histograms) }
            if state == .pause || state == .dispo {
                if let intervalStart {
                    let seconds = time - intervalStart
                    if state == .pause {
                        histograms.pauseDuration.observe(seconds)
                    } else {
                        histograms.dispoDuration.observe(seconds)
                    }
                }
                intervalStart = nil
            }
        }
        if clock < time { clock = time }
        if next == .pause || next == .dispo { intervalStart = time }
        state = next
        stateSince = next == nil ? nil : time
    }
}
