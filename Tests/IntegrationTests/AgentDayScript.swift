/// A scripted agent day (DESIGN.md §2 flows), with the totals VICIdial's Agent Time Detail
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
        var event: String
        var message = ""
        /// Sent after the next step, so that step overtakes this one.
        var overtaken = false
    }

    static let steps: [Step] = [
        Step(second: 0, event: "ingroup_screen_open"),
        Step(second: 1, event: "ingroup_screen_closed"),
        Step(second: 2, event: "logged_in", message: "8600051 10.0.0.5 2.14-917a 250326-1000 "),
        Step(second: 30, event: "state_ready", message: "READY"),
        Step(second: 31, event: "agent_alert", message: "CHECK-FOR-CALL COMPLETE: 1"),
        Step(second: 32, event: "agent_alert", message: "CHECK-FOR-CALL COMPLETE: 2"),
        Step(second: 40, event: "call_answered", message: "M1126000001"),
        Step(second: 100, event: "call_dead", message: "M1126000001"),
        Step(second: 130, event: "agent_hangup"),
        Step(second: 131, event: "dispo_screen_open"),
        Step(second: 140, event: "dispo_set", message: "SALE"),
        Step(second: 141, event: "state_ready", message: "READY"),
        Step(second: 200, event: "call_answered", message: "V1126000002"),
        Step(second: 500, event: "transfer_blind", message: "8300"),  // no agent_hangup follows a blind transfer
        Step(second: 501, event: "dispo_screen_open"),
        Step(second: 505, event: "state_paused", message: "PAUSED"),  // pause after call: fires before dispo_set
        Step(second: 510, event: "dispo_set", message: "NI"),
        Step(second: 600, event: "state_ready", message: "READY"),
        Step(second: 700, event: "call_answered", message: "M1126000003"),
        Step(second: 760, event: "dispo_screen_open"),
        Step(second: 761, event: "agent_hangup"),  // after dispo_screen_open in counter order
        Step(second: 770, event: "dispo_set", message: "DNC", overtaken: true),  // state_ready overtakes it
        Step(second: 771, event: "state_ready", message: "READY"),
        // Through get2post the `?` cuts this push after the message: no counter, no epoch.
        Step(second: 800, event: "agent_alert", message: "Is the 100% discount ok? yes"),
        Step(second: 900, event: "state_paused", message: "PAUSED"),
        Step(second: 1000, event: "logged_out", message: "NORMAL"),
    ]

    /// The pushes of `user`'s day in sending order, counters 0... and epochs from `start`.
    static func pushes(user: String, start: Int64) -> [Push] {
        var pushes = steps.enumerated().map { counter, step in
            Push(user: user, event: step.event, message: step.message, counter: counter, epoch: start + step.second)
        }
        for index in steps.indices where steps[index].overtaken { pushes.swapAt(index, index + 1) }
        return pushes
    }

    static let stateSeconds = ["pause": 220, "wait": 298, "talk": 420, "dead": 30, "dispo": 30]
}
