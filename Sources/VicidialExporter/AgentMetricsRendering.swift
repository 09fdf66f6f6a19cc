import AgentEvents
import AgentLedger
import Exposition

/// The metric contract of DESIGN.md §4: names, labels and types are fixed, dashboards and
/// alerts depend on them.
extension ExpositionWriter {
    mutating func writeAgentMetrics(_ agents: [AgentRecord]) {
        family("vicidial_agent_events", type: .counter, help: "Agent events accepted, by event type.")
        for agent in agents {
            for (index, event) in KnownEvent.ordered.enumerated() where agent.knownEventCounts[index] > 0 {
                counter(["user": agent.user, "event": event.rawValue], Double(agent.knownEventCounts[index]))
            }
            for (event, count) in agent.unknownEventCounts.sorted(by: { $0.key < $1.key }) {
                counter(["user": agent.user, "event": event], Double(count))
            }
        }

        family(
            "vicidial_agent_state_seconds", type: .counter,
            help: "Seconds logged in, by state (pause, wait, talk, dead, dispo); they add up to login time. "
                + "VICIdial's TALK is talk + dead.")
        for agent in agents {
            for state in AgentState.allCases {
                counter(["user": agent.user, "state": state.rawValue], agent.stateSeconds[state.index])
            }
        }

        family(
            "vicidial_agent_talk_seconds", type: .counter,
            help: "Seconds from call_answered to the end of the call (agent_hangup or what replaces it): talk + dead.")
        for agent in agents {
            counter(["user": agent.user], agent.stateSeconds[AgentState.talk.index] + agent.stateSeconds[AgentState.dead.index])
        }

        family("vicidial_agent_calls", type: .counter, help: "Calls answered (call_answered or other_answered).")
        for agent in agents { counter(["user": agent.user], Double(agent.calls)) }

        family("vicidial_agent_dispositions", type: .counter, help: "Calls dispositioned, by status code (dispo_set).")
        for agent in agents {
            for (status, count) in agent.dispositions.sorted(by: { $0.key < $1.key }) {
                counter(["user": agent.user, "status": status], Double(count))
            }
        }

        family("vicidial_agent_logins", type: .counter, help: "Agent screen sessions started (logged_in).")
        for agent in agents { counter(["user": agent.user], Double(agent.logins)) }

        family(
            "vicidial_agent_logouts", type: .counter,
            help: "Logouts by reason: NORMAL, CLOSE (browser closed or reloaded), API, SHIFT, READY_TIMEOUT, TIMEOUT (pause limit), other.")
        for agent in agents {
            for (reason, count) in agent.logouts.sorted(by: { $0.key < $1.key }) {
                counter(["user": agent.user, "reason": reason], Double(count))
            }
        }

        family("vicidial_agent_state", type: .gauge, help: "1 for the current state of a logged-in agent, 0 for the others.")
        for agent in agents {
            for state in AgentState.allCases {
                gauge(["user": agent.user, "state": state.rawValue], agent.state == state ? 1 : 0)
            }
        }

        family("vicidial_agent_state_start_timestamp_seconds", type: .gauge, help: "Unix time the agent's current state began.")
        for agent in agents {
            if let since = agent.stateSince { gauge(["user": agent.user], since) }
        }

        family("vicidial_agent_last_event_timestamp_seconds", type: .gauge, help: "Unix time of the agent's last accepted event.")
        for agent in agents {
            if let last = agent.lastEventTime { gauge(["user": agent.user], last) }
        }
    }

    mutating func writeDurationHistograms(_ histograms: LedgerHistograms) {
        writeHistogram(
            "vicidial_agent_call_duration_seconds", histograms.callDuration,
            help: "Per call: seconds from call_answered to the end of the call (talk + dead).")
        writeHistogram(
            "vicidial_agent_pause_duration_seconds", histograms.pauseDuration, help: "Per pause interval, in seconds.")
        writeHistogram(
            "vicidial_agent_dispo_duration_seconds", histograms.dispoDuration,
            help: "Per disposition interval: seconds from the end of the call to dispo_set.")
    }

    private mutating func writeHistogram(_ name: String, _ histogram: DurationHistogram, help: String) {
        family(name, type: .histogram, help: help)
        self.histogram(
            [:], upperBounds: histogram.upperBounds, cumulativeCounts: histogram.cumulativeCounts,
            count: histogram.count, sum: histogram.sum)
    }
}
