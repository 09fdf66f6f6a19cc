import AgentEvents
import AgentLedger
import Exposition

/// The metric contract of DESIGN.md §4: names, labels and types are fixed, dashboards and
/// alerts depend on them.
extension ExpositionWriter {
    mutating func writeAgentMetrics(_ snapshot: LedgerSnapshot) {
        family("vicidial_agent_events", type: .counter, help: "Agent events accepted, by event type.")
        snapshot.forEachAgent { agent in
            let counts = agent.knownEventCounts
            for index in counts.indices where counts[index] > 0 {
                counter("user", escapedValue: agent.escapedUser, more: RenderedLabels.events[index], count: counts[index])
            }
            for (event, count) in agent.unknownEventCounts.sorted(by: { $0.key < $1.key }) {
                counter("user", escapedValue: agent.escapedUser, "event", event, count: count)
            }
        }

        family(
            "vicidial_agent_state_seconds", type: .counter,
            help: "Seconds logged in, by state (pause, wait, talk, dead, dispo); they add up to login time. "
                + "VICIdial's TALK is talk + dead.")
        snapshot.forEachAgent { agent in
            for state in AgentState.allCases {
                counter("user", escapedValue: agent.escapedUser, more: RenderedLabels.states[state.index], agent.seconds(in: state))
            }
        }

        family(
            "vicidial_agent_talk_seconds", type: .counter,
            help: "Seconds from call_answered to the end of the call (agent_hangup or what replaces it): talk + dead.")
        snapshot.forEachAgent { agent in
            counter("user", escapedValue: agent.escapedUser, agent.seconds(in: .talk) + agent.seconds(in: .dead))
        }

        family("vicidial_agent_calls", type: .counter, help: "Calls answered (call_answered or other_answered).")
        snapshot.forEachAgent { agent in counter("user", escapedValue: agent.escapedUser, count: agent.calls) }

        family("vicidial_agent_dispositions", type: .counter, help: "Calls dispositioned, by status code (dispo_set).")
        snapshot.forEachAgent { agent in
            for (status, count) in agent.dispositions.sorted(by: { $0.key < $1.key }) {
                counter("user", escapedValue: agent.escapedUser, "status", status, count: count)
            }
        }

        family("vicidial_agent_logins", type: .counter, help: "Agent screen sessions started (logged_in).")
        snapshot.forEachAgent { agent in counter("user", escapedValue: agent.escapedUser, count: agent.logins) }

        family(
            "vicidial_agent_logouts", type: .counter,
            help: "Logouts by reason: NORMAL, CLOSE (browser closed or reloaded), API, SHIFT, READY_TIMEOUT, TIMEOUT (pause limit), other.")
        snapshot.forEachAgent { agent in
            for (reason, count) in agent.logouts.sorted(by: { $0.key < $1.key }) {
                counter("user", escapedValue: agent.escapedUser, "reason", reason, count: count)
            }
        }

        family("vicidial_agent_state", type: .gauge, help: "1 for the current state of a logged-in agent, 0 for the others.")
        snapshot.forEachAgent { agent in
            for state in AgentState.allCases {
                gauge(
                    "user", escapedValue: agent.escapedUser, more: RenderedLabels.states[state.index],
                    agent.state == state ? 1 : 0)
            }
        }

        family("vicidial_agent_state_start_timestamp_seconds", type: .gauge, help: "Unix time the agent's current state began.")
        snapshot.forEachAgent { agent in
            if let since = agent.stateSince { gauge("user", escapedValue: agent.escapedUser, since) }
        }

        family("vicidial_agent_last_event_timestamp_seconds", type: .gauge, help: "Unix time of the agent's last accepted event.")
        snapshot.forEachAgent { agent in
            if let last = agent.lastEventTime { gauge("user", escapedValue: agent.escapedUser, last) }
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

/// The fixed label pairs of the agent families, rendered once.
private enum RenderedLabels {
    /// `,state="…"` by `AgentState.index`.
    static let states = AgentState.allCases.map { ExpositionWriter.renderedPair("state", $0.rawValue) }
    /// `,event="…"` by `KnownEvent.ordinal`.
    static let events = KnownEvent.ordered.map { ExpositionWriter.renderedPair("event", $0.rawValue) }
}
