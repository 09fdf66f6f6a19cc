import AgentSimulation

/// Walks one agent's pushes through the agent screen's flows (docs/events.md, "Flows"): `take` returns why a
/// push is out of place, or nil. `seen` collects the flows met, to check the simulation covers them.
struct CallFlowChecker {
    enum Flow: CaseIterable {
        case agentHangupEnding, dispoScreenFirstEnding, transferBlindEnding, transferLocalCloserEnding,
            threeWayLeaveEnding, customerGoneEnding, hotkeyEnding
        case customerHungUpFirst, park, pauseAfterCall, pauseAfterHotkeyCall, callbackScreen, secondDisposition
        case manualDial, rejectedCall, pauseCode, reload, logoutInDispo, logoutComplete
    }

    private enum Phase { case loggedOut, loading, paused, ready, dialing, inCall, inDispo }

    private(set) var seen: Set<Flow> = []
    private var phase = Phase.loggedOut
    /// The current call's pushes so far.
    private var call: [SimulatedEvent] = []
    private var previous: SimulatedPush?

    var isLoggedOut: Bool { phase == .loggedOut }

    mutating func take(_ push: SimulatedPush) -> String? {
        defer { previous = push }
        let event = push.event
        let after = previous?.event
        let problem = "\(event.rawValue) \"\(push.message)\" (counter \(push.counter), t=\(push.time)) in \(phase) after \(after?.rawValue ?? "nothing"), call \(call.map(\.rawValue))"
        if phase == .inCall, call.last == .statePaused, event != .dispoSet { return problem }
        switch (phase, event) {
        case (.loggedOut, .ingroupScreenOpen) where push.counter == 0:
            phase = .loading
        case (.loggedOut, .loggedOutComplete) where after == .loggedOut && previous?.message == "NORMAL":
            seen.insert(.logoutComplete)
        case (.loading, .ingroupScreenClosed) where after == .ingroupScreenOpen:
            break
        case (.loading, .loggedIn) where after == .ingroupScreenClosed && push.counter == 2:
            phase = .paused
        case (.paused, .stateReady) where ["READY", "CLOSER"].contains(push.message):
            phase = .ready
        case (.paused, .pauseCodeOpen) where after == .statePaused || after == .loggedIn:
            seen.insert(.pauseCode)
        case (.paused, .manualDialOpen):
            phase = .dialing
        case (.paused, .dispoSetTwice) where after == .dispoSet:
            seen.insert(.secondDisposition)
        case (.paused, .loggedOut) where push.message == "NORMAL":
            phase = .loggedOut
        case (.paused, .loggedOut) where push.message == "CLOSE":
            seen.insert(.reload)
            phase = .loggedOut
        case (.ready, .agentAlert) where push.message.hasPrefix("CHECK-FOR-CALL COMPLETE: "):
            break
        case (.ready, .statePaused) where push.message == "PAUSED":
            phase = .paused
        case (.ready, .callAnswered):
            startCall()
        case (.dialing, .callDialed) where after == .manualDialOpen:
            seen.insert(.manualDial)
        case (.dialing, .agentAlert) where after == .callDialed && push.message == "Call Rejected":
            seen.insert(.rejectedCall)
        case (.dialing, .callAnswered) where after == .callDialed || after == .agentAlert:
            startCall()
        case (.inCall, .callScript) where after == .callAnswered:
            break
        case (.inCall, .parkStarted) where !call.contains(.parkStarted) && !call.contains(.callDead):
            break
        case (.inCall, .parkRetrieved) where after == .parkStarted:
            seen.insert(.park)
        case (.inCall, .transferPanelOpen) where !call.contains(.transferPanelOpen):
            break
        case (.inCall, .threeWayStart) where call.contains(.transferPanelOpen):
            break
        case (.inCall, .threeWayAnswered) where after == .threeWayStart:
            break
        case (.inCall, .callDead) where !call.contains(.callDead):
            seen.insert(.customerHungUpFirst)
        case (.inCall, .customerGone) where call.contains(.callDead):
            break
        case (.inCall, .agentHangup) where !call.contains(.customerGone) && !call.contains(.transferPanelOpen):
            seen.insert(.agentHangupEnding)
            phase = .inDispo
        case (.inCall, .dispoScreenOpen) where !call.contains(.transferPanelOpen):
            seen.insert(call.contains(.customerGone) ? .customerGoneEnding : .dispoScreenFirstEnding)
            phase = .inDispo
        case (.inCall, .transferBlind) where call.contains(.transferPanelOpen) && !call.contains(.threeWayStart):
            seen.insert(.transferBlindEnding)
            phase = .inDispo
        case (.inCall, .transferLocalCloser) where call.contains(.transferPanelOpen) && !call.contains(.threeWayStart):
            seen.insert(.transferLocalCloserEnding)
            phase = .inDispo
        case (.inCall, .threeWayAgentLeave) where call.contains(.threeWayAnswered):
            seen.insert(.threeWayLeaveEnding)
            phase = .inDispo
        case (.inCall, .statePaused) where !call.contains(.statePaused) && !call.contains(.transferPanelOpen):
            seen.insert(.pauseAfterHotkeyCall)  // fires before the hotkey's dispo_set
        case (.inCall, .dispoSet) where !call.contains(.transferPanelOpen) && !call.contains(.customerGone):
            seen.insert(.hotkeyEnding)
            phase = .paused
        case (.inDispo, .dispoScreenOpen) where !call.contains(.dispoScreenOpen):
            break
        case (.inDispo, .agentHangup)
        where after == .dispoScreenOpen && !call.contains(.agentHangup) && !call.contains(.customerGone) && !call.contains(.transferPanelOpen):
            break  // dispo_screen_open ended the call, agent_hangup follows
        case (.inDispo, .statePaused) where !call.contains(.statePaused):
            seen.insert(.pauseAfterCall)
        case (.inDispo, .callbackSelectOpen) where !call.contains(.callbackSelectOpen):
            seen.insert(.callbackScreen)
        case (.inDispo, .dispoSet) where call.contains(.dispoScreenOpen):
            phase = .paused
        case (.inDispo, .loggedOut) where push.message == "NORMAL":
            seen.insert(.logoutInDispo)
            phase = .loggedOut
        default:
            return problem
        }
        if phase == .inCall || phase == .inDispo { call.append(event) }
        return nil
    }

    private mutating func startCall() {
        call = []
        phase = .inCall
    }
}
