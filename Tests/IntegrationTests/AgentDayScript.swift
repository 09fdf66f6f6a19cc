import AgentSimulation

/// A scripted agent day (the flows of docs/events.md), with the totals VICIdial's Agent Time Detail
/// would show for it, worked out by hand:
///
/// | state | intervals (s from the start) | seconds |
/// |---|---|---|
/// | pause | 2-30, 140-141, 510-600, 770-771, 900-1000 | 220 |
/// | wait | 30-40, 141-200, 600-700, 771-900 | 298 |
/// | talk | 40-100, 200-500, 700-760 | 420 |
/// | dead | 100-130 | 30 |
/// | dispo | 130-140, 500-510 (state_paused at 505 does not end it), 760-770 | 30 |
///
/// Login time 998 s = the sum. Three calls (60+30, 300, 60 s), dispositions SALE, NI, DNC.
enum AgentDayScript {
    struct Step {
        var second: Int64
        var event: SimulatedEvent
        var message = ""
        /// Sent after the next step, so that step overtakes this one.
        var overtaken = false
    }

    static let steps: [Step] = [
        Step(second: 0, event: .ingroupScreenOpen),
        Step(second: 1, event: .ingroupScreenClosed),
        Step(second: 2, event: .loggedIn, message: "8600051 10.0.0.5 2.14-917a 250326-1000 "),
        Step(second: 30, event: .stateReady, message: "READY"),
        Step(second: 31, event: .agentAlert, message: "CHECK-FOR-CALL COMPLETE: 1"),
        Step(second: 32, event: .agentAlert, message: "CHECK-FOR-CALL COMPLETE: 2"),
        Step(second: 40, event: .callAnswered, message: "M1126000001"),
        Step(second: 100, event: .callDead, message: "M1126000001"),
        Step(second: 130, event: .agentHangup),
        Step(second: 131, event: .dispoScreenOpen),
        Step(second: 140, event: .dispoSet, message: "SALE"),
        Step(second: 141, event: .stateReady, message: "READY"),
        Step(second: 200, event: .callAnswered, message: "V1126000002"),
        Step(second: 500, event: .transferBlind, message: "8300"),  // no agent_hangup follows a blind transfer
        Step(second: 501, event: .dispoScreenOpen),
        Step(second: 505, event: .statePaused, message: "PAUSED"),  // pause after call: fires before dispo_set
        Step(second: 510, event: .dispoSet, message: "NI"),
        Step(second: 600, event: .stateReady, message: "READY"),
        Step(second: 700, event: .callAnswered, message: "M1126000003"),
        Step(second: 760, event: .dispoScreenOpen),
        Step(second: 761, event: .agentHangup),  // after dispo_screen_open in counter order
        Step(second: 770, event: .dispoSet, message: "DNC", overtaken: true),  // state_ready overtakes it
        Step(second: 771, event: .stateReady, message: "READY"),
        // Through get2post the `?` cuts this push after the message: no counter, no epoch.
        Step(second: 800, event: .agentAlert, message: "Is the 100% discount ok? yes"),
        Step(second: 900, event: .statePaused, message: "PAUSED"),
        Step(second: 1000, event: .loggedOut, message: "NORMAL"),
    ]

    /// The pushes of `user`'s day in sending order, counters 0... and epochs from `start`.
    static func pushes(user: String, start: Int64) -> [SimulatedPush] {
        var pushes = steps.enumerated().map { counter, step in
            SimulatedPush(
                user: user, event: step.event, message: step.message, counter: counter, epoch: start + step.second,
                agentLogID: 881, time: Int(step.second))
        }
        for index in steps.indices where steps[index].overtaken { pushes.swapAt(index, index + 1) }
        return pushes
    }

    static let stateSeconds = ["pause": 220, "wait": 298, "talk": 420, "dead": 30, "dispo": 30]
}
