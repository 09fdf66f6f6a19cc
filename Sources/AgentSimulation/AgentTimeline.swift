/// Writes one agent's script: the pushes in firing order (counter and epoch filled in) and, as the
/// model decides them, the states the agent is in and the facts (calls, dispositions, sessions).
///
/// The totals come from these decisions (`enter`), not from re-reading the pushes.
struct AgentTimeline {
    private(set) var script: AgentScript
    /// The time of the latest push: pushes are never written out of order.
    private(set) var now = 0
    private(set) var state: SimulatedState?
    private var stateSince = 0
    private var counter = 0
    private var loginTime = 0
    private let startEpoch: Int64
    /// The lead on screen, sent with every push until the call is dispositioned.
    var leadID = ""
    /// VICIdial's vicidial_agent_log row: a new one at login and after each disposition.
    private(set) var agentLogID: Int

    init(user: String, startEpoch: Int64, firstAgentLogID: Int) {
        script = AgentScript(user: user)
        self.startEpoch = startEpoch
        agentLogID = firstAgentLogID
    }

    mutating func emit(_ event: SimulatedEvent, _ message: String = "", at time: Int) {
        precondition(time >= now, "\(event) at \(time) before \(now)")
        now = time
        script.pushes.append(
            SimulatedPush(
                user: script.user, event: event, message: message, leadID: leadID, counter: counter,
                epoch: startEpoch + Int64(time), agentLogID: agentLogID, time: time))
        script.totals.events[event.rawValue, default: 0] += 1
        counter += 1
    }

    /// Puts the agent in `next` (nil: logged out) from `time` on, closing the state it was in.
    mutating func enter(_ next: SimulatedState?, at time: Int) {
        if let state { script.totals.stateSeconds[state] += time - stateSince }
        state = next
        stateSince = time
    }

    /// A page load of the agent screen: the counter starts again from 0.
    mutating func loadPage() {
        counter = 0
    }

    /// `logged_in`: a session starts, paused.
    mutating func logIn(_ message: String, at time: Int) {
        agentLogID += 1
        emit(.loggedIn, message, at: time)
        enter(.pause, at: time)
        script.totals.logins += 1
        loginTime = time
    }

    /// `logged_out`: the session ends (during dispo too: no disposition follows).
    mutating func logOut(reason: String, at time: Int) {
        leadID = ""
        emit(.loggedOut, reason, at: time)
        enter(nil, at: time)
        script.totals.logouts[reason, default: 0] += 1
        script.sessions.append(AgentScript.Session(login: loginTime, logout: time))
    }

    mutating func countCall() {
        script.totals.calls += 1
    }

    /// `dispo_set`: counts the status; VICIdial opens the next agent_log row paused.
    mutating func disposition(_ status: String, at time: Int) {
        emit(.dispoSet, status, at: time)
        enter(.pause, at: time)
        script.totals.dispositions[status, default: 0] += 1
        leadID = ""
        agentLogID += 1
    }
}
