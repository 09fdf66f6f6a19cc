import AgentSimulation

/// docs/accounting.md's rules applied to pushes in counter order, independently of the simulation's
/// own bookkeeping: what the exporter must arrive at for one agent.
struct AccountingReplay {
    private(set) var totals = AgentTotals()
    private var state: SimulatedState?
    private var since: Int64 = 0

    init(_ pushes: [SimulatedPush]) {
        for push in pushes { apply(push) }
    }

    private mutating func apply(_ push: SimulatedPush) {
        totals.events[push.event.rawValue, default: 0] += 1
        let time = push.epoch
        switch push.event {
        case .loggedIn:
            totals.logins += 1
            move(to: .pause, at: time)
        case .loggedOut:
            totals.logouts[push.message, default: 0] += 1
            move(to: nil, at: time)
        case .stateReady:
            move(to: .wait, at: time)
        case .statePaused:
            if state == .wait { move(to: .pause, at: time) }  // ignored in dispo and during a call
        case .callAnswered:
            totals.calls += 1
            move(to: .talk, at: time)
        case .callDead:
            if state == .talk { move(to: .dead, at: time) }
        case .agentHangup, .dispoScreenOpen, .transferBlind, .transferLocalCloser, .threeWayAgentLeave:
            if state == .talk || state == .dead { move(to: .dispo, at: time) }  // the first of them ends the call
        case .dispoSet:
            totals.dispositions[push.message, default: 0] += 1
            if state != .wait { move(to: .pause, at: time) }
        default:
            break  // counted only
        }
    }

    private mutating func move(to next: SimulatedState?, at time: Int64) {
        if let state { totals.stateSeconds[state] += Int(time - since) }
        state = next
        since = time
    }
}
