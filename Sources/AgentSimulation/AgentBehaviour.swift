/// How one agent works a shift, every choice drawn from its own seeded generator: logs in during
/// the first minutes, goes ready, takes auto-dial/inbound and manual calls, pauses, takes breaks,
/// sometimes reloads the screen, and logs out at the end (refused during a call, allowed in dispo).
struct AgentBehaviour {
    /// Seconds before the logout after which no call is answered: room for a call, its dispo screen and the logout.
    static let callRoom = 15
    /// The room a manual dial or a reload needs before the logout.
    static let actionRoom = 90

    private var rng: SplitMix64
    private var timeline: AgentTimeline
    private let logoutAt: Int
    private let heartbeatInterval: Int
    private let minimumPageLifetime: Int
    private let pageSettleTime: Int
    /// When the current page was loaded.
    private var pageLoadedAt = 0
    /// state_ready's message: READY, or CLOSER for agents taking inbound calls.
    private let readyMessage: String
    private let sessionID: Int
    /// Heartbeats on this page, numbered in their message.
    private var checks = 0

    private enum Next {
        /// Paused for `seconds`, then ready; `mayAct`: may dial manually or reload first.
        case pause(seconds: Int, mayAct: Bool)
        case ready
        case done
    }

    private enum PausedAction { case resume, manualDial, reload }
    private enum ReadyOutcome { case call, pause, reload }
    private enum CallKind { case dialer, manual, rejected }

    static func script(user: String, index: Int, configuration: SimulationConfiguration) -> AgentScript {
        var behaviour = AgentBehaviour(user: user, index: index, configuration: configuration)
        behaviour.work(span: configuration.span, staysPaused: configuration.longPauseUsers.contains(user))
        return behaviour.timeline.script
    }

    private init(user: String, index: Int, configuration: SimulationConfiguration) {
        rng = SplitMix64(seed: configuration.seed, stream: UInt64(index))
        timeline = AgentTimeline(user: user, startEpoch: configuration.startEpoch, firstAgentLogID: 880_000 + index * 10_000)
        heartbeatInterval = configuration.heartbeatInterval
        minimumPageLifetime = configuration.minimumPageLifetime
        pageSettleTime = configuration.pageSettleTime
        sessionID = 8_600_051 + index
        logoutAt = configuration.span - rng.seconds(in: 0...min(30, configuration.span / 20))
        readyMessage = rng.chance(0.3) ? "CLOSER" : "READY"
    }

    private mutating func work(span: Int, staysPaused: Bool) {
        loadPage(at: rng.seconds(in: 0...min(300, span / 5)))  // logins spread over the shift's first minutes
        if staysPaused {
            timeline.emit(.pauseCodeOpen, at: timeline.now + rng.seconds(in: 1...5))
            logOut(at: logoutAt)
            return
        }
        var next = Next.pause(seconds: shortPause(), mayAct: true)
        while true {
            switch next {
            case .pause(let seconds, let mayAct): next = paused(for: seconds, mayAct: mayAct)
            case .ready: next = ready()
            case .done: return
            }
        }
    }

    private mutating func paused(for seconds: Int, mayAct: Bool) -> Next {
        let start = max(timeline.now, pageLoadedAt + pageSettleTime)  // a new page settles first
        if mayAct, start + Self.actionRoom < logoutAt {
            switch rng.weighted([(PausedAction.resume, 85), (.manualDial, 12), (.reload, mayReload(at: start) ? 3 : 0)]) {
            case .manualDial:
                return manualDial(from: start)
            case .reload:
                reload(at: start + rng.seconds(in: 1...30))
                return .pause(seconds: shortPause(), mayAct: true)
            case .resume:
                break
            }
        }
        let readyAt = start + seconds
        guard readyAt < logoutAt else {
            logOut(at: logoutAt)
            return .done
        }
        timeline.emit(.stateReady, readyMessage, at: readyAt)
        timeline.enter(.wait, at: readyAt)
        return .ready
    }

    private mutating func ready() -> Next {
        let waitStart = timeline.now
        let until = waitStart + rng.exponentialSeconds(mean: 45, in: 1...900)
        guard until <= logoutAt - Self.callRoom else {
            // VICIdial logs out paused agents only: pause, then log out at the end.
            let pauseAt = max(waitStart, logoutAt - rng.seconds(in: 0...3))
            heartbeats(from: waitStart, until: pauseAt)
            pause(at: pauseAt)
            logOut(at: logoutAt)
            return .done
        }
        heartbeats(from: waitStart, until: until)
        let canReload = mayReload(at: until)
        switch rng.weighted([(ReadyOutcome.call, 88), (.pause, 9), (.reload, canReload ? 3 : 0)]) {
        case .call:
            let lead = newLeadID()
            timeline.leadID = String(lead)
            return call(answeredAt: until, kind: .dialer, lead: lead)
        case .pause:
            pause(at: until)
            timeline.emit(.pauseCodeOpen, at: until + rng.seconds(in: 0...2))
            return rng.chance(0.35) ? .pause(seconds: breakLength(), mayAct: false) : .pause(seconds: shortPause(), mayAct: true)
        case .reload:
            reload(at: until)
            return .pause(seconds: shortPause(), mayAct: true)
        }
    }

    /// READY heartbeats ("CHECK-FOR-CALL COMPLETE: n") every `heartbeatInterval` while waiting.
    private mutating func heartbeats(from start: Int, until end: Int) {
        for time in stride(from: start + heartbeatInterval, to: end, by: heartbeatInterval) {
            checks += 1
            timeline.emit(.agentAlert, "CHECK-FOR-CALL COMPLETE: \(checks)", at: time)
        }
    }

    /// From READY to PAUSED.
    private mutating func pause(at time: Int) {
        timeline.emit(.statePaused, "PAUSED", at: time)
        timeline.enter(.pause, at: time)
    }

    /// Manual dial from pause: the dialog, the dial, and call_answered as soon as the line rings
    /// (VICIdial counts the ringing as TALK); a rejected call alerts and is answered all the same.
    private mutating func manualDial(from start: Int) -> Next {
        timeline.emit(.manualDialOpen, at: start + rng.seconds(in: 2...20))
        let lead = newLeadID()
        timeline.leadID = String(lead)  // a preview shows the lead before it is dialed
        timeline.emit(.callDialed, "\(phoneNumber()) MAIN", at: timeline.now + rng.seconds(in: 3...20))
        let answeredAt = timeline.now + rng.seconds(in: 2...12)
        if rng.chance(0.08) {
            timeline.emit(.agentAlert, "Call Rejected", at: answeredAt)
            return call(answeredAt: answeredAt, kind: .rejected, lead: lead)
        }
        return call(answeredAt: answeredAt, kind: .manual, lead: lead)
    }

    /// One call from call_answered to its disposition (or to the logout during dispo).
    private mutating func call(answeredAt answer: Int, kind: CallKind, lead: Int) -> Next {
        // VICIdial-like call IDs: V auto-dial, Y inbound, M manual; a time and the lead.
        let callID = (kind == .dialer ? (readyMessage == "CLOSER" ? "Y" : "V") : "M") + digits(answer, 9) + digits(lead, 10)
        timeline.emit(.callAnswered, callID, at: answer)
        timeline.enter(.talk, at: answer)
        timeline.countCall()
        if rng.chance(0.5) { timeline.emit(.callScript, at: answer) }

        let ending = kind == .rejected ? .agentHangup : rng.weighted(CallEnding.weights)
        let length = kind == .rejected ? rng.seconds(in: 3...6) : rng.logNormalSeconds(median: 180, sigma: 0.8, in: 5...1800)
        // Logout is refused during a call: the last one ends in time for its dispo screen.
        let end = min(answer + length, logoutAt - 2)
        let customerHangsUp = kind != .rejected && (ending == .customerGone || (ending.allowsDeadLine && rng.chance(0.2)))
        let deadAt = customerHangsUp ? end - rng.seconds(in: 1...min(20, end - answer - 1)) : end

        if rng.chance(0.1) {  // park does not stop TALK
            timeline.emit(.parkStarted, at: later(deadAt))
            timeline.emit(.parkRetrieved, at: later(deadAt))
        }
        if ending.isTransfer { timeline.emit(.transferPanelOpen, at: later(end)) }
        if ending == .threeWayLeave {
            timeline.emit(.threeWayStart, phoneNumber(), at: later(end))
            timeline.emit(.threeWayAnswered, callID, at: later(end))
        }
        if customerHangsUp {
            timeline.emit(.callDead, callID, at: deadAt)
            timeline.enter(.dead, at: deadAt)
        }
        switch ending {
        case .agentHangup:
            endCall(with: .agentHangup, at: end)
            timeline.emit(.dispoScreenOpen, at: end + 1)  // on the screen's next 1 s tick
        case .dispoScreenFirst:
            endCall(with: .dispoScreenOpen, at: end)
            timeline.emit(.agentHangup, at: end)
        case .transferBlind:
            endCall(with: .transferBlind, rng.chance(0.3) ? "vmail" : phoneNumber(), at: end)
            timeline.emit(.dispoScreenOpen, at: end + 1)
        case .transferLocalCloser:
            endCall(with: .transferLocalCloser, rng.chance(0.5) ? "SALESLINE" : "SUPPORT", at: end)
            timeline.emit(.dispoScreenOpen, at: end + 1)
        case .threeWayLeave:
            endCall(with: .threeWayAgentLeave, at: end)
            timeline.emit(.dispoScreenOpen, at: end + 1)
        case .customerGone:
            timeline.emit(.customerGone, at: later(end))
            endCall(with: .dispoScreenOpen, at: end)
        case .hotkey:
            break  // dispo_set itself ends the call
        }
        let status = kind == .rejected ? "B" : ending.isTransfer ? "XFER" : rng.weighted(CallEnding.statuses)
        return dispo(status: status, hotkey: ending == .hotkey, manual: kind != .dialer)
    }

    /// The push that ends the agent's part of the call: TALK (or DEAD) ends, DISPO begins.
    private mutating func endCall(with event: SimulatedEvent, _ message: String = "", at time: Int) {
        timeline.emit(event, message, at: time)
        timeline.enter(.dispo, at: time)
    }

    /// From the end of the call to dispo_set. With "pause after each call" state_paused fires
    /// before dispo_set and changes nothing (DISPO runs on); manual-dial campaigns stay paused after it.
    private mutating func dispo(status: String, hotkey: Bool, manual: Bool) -> Next {
        let pauseAfterCall = !manual && rng.chance(0.3)
        if hotkey {
            if pauseAfterCall { timeline.emit(.statePaused, "PAUSED", at: timeline.now) }
            timeline.disposition(status, at: timeline.now)
        } else {
            let dispoSetAt = timeline.now + rng.logNormalSeconds(median: 10, sigma: 0.8, in: 1...240)
            if pauseAfterCall { timeline.emit(.statePaused, "PAUSED", at: later(min(dispoSetAt, logoutAt))) }
            if status == "CALLBK" { timeline.emit(.callbackSelectOpen, at: later(min(dispoSetAt, logoutAt))) }
            guard dispoSetAt < logoutAt else {
                logOut(at: logoutAt)  // the shift ends in dispo: no disposition
                return .done
            }
            timeline.disposition(status, at: dispoSetAt)
        }
        if rng.chance(0.04), timeline.now + 1 < logoutAt { timeline.emit(.dispoSetTwice, at: timeline.now + 1) }
        if pauseAfterCall || manual { return .pause(seconds: rng.logNormalSeconds(median: 30, sigma: 0.8, in: 2...900), mayAct: true) }
        return .pause(seconds: rng.seconds(in: 0...3), mayAct: false)  // the campaign makes the agent ready again
    }

    /// A browser reload: state_paused (if ready), logged_out CLOSE, and the new page some seconds later.
    private mutating func reload(at time: Int) {
        if timeline.state == .wait { pause(at: time) }
        timeline.logOut(reason: "CLOSE", at: time)
        loadPage(at: time + rng.seconds(in: 3...20))
    }

    /// Whether the page is old enough at `time` to be reloaded, and the new one can settle before the logout.
    private func mayReload(at time: Int) -> Bool {
        time - pageLoadedAt >= minimumPageLifetime && time + Self.actionRoom + pageSettleTime < logoutAt
    }

    /// The agent screen loads: the in-group screen takes counters 0 and 1, logged_in counter 2.
    private mutating func loadPage(at time: Int) {
        timeline.loadPage()
        checks = 0
        pageLoadedAt = time
        timeline.emit(.ingroupScreenOpen, at: time)
        timeline.emit(.ingroupScreenClosed, at: time + rng.seconds(in: 1...8))
        timeline.logIn("\(sessionID) 10.10.10.15 2.14-917a 250326-1000 ", at: timeline.now + rng.seconds(in: 0...2))
    }

    /// The final logout; logged_out_complete follows unless the browser was closed first.
    private mutating func logOut(at time: Int) {
        timeline.logOut(reason: "NORMAL", at: time)
        if rng.chance(0.8) { timeline.emit(.loggedOutComplete, at: time) }
    }

    /// A time from the latest push to `limit`.
    private mutating func later(_ limit: Int) -> Int {
        rng.seconds(in: timeline.now...max(timeline.now, limit))
    }

    private mutating func shortPause() -> Int { rng.logNormalSeconds(median: 20, sigma: 0.8, in: 2...600) }

    private mutating func breakLength() -> Int { rng.logNormalSeconds(median: 600, sigma: 0.4, in: 120...2700) }

    private mutating func newLeadID() -> Int { rng.seconds(in: 100_000...9_999_999) }

    private mutating func phoneNumber() -> String { "312555" + digits(rng.seconds(in: 0...9999), 4) }

    private func digits(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
