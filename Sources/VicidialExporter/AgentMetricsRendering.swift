import AgentEvents
import AgentLedger
import Exposition

/// The per-agent families of the metric contract (README, "Metrics"): names, labels and types
/// are fixed, dashboards and alerts depend on them.
///
/// Written in one pass over the agents, each family into its own section, sent in family order
/// (`ScrapePage`): an agent's memory is read while it is in cache, and each of its arrays is
/// retained once per scrape rather than once per family (at 10,000 agents, one pass per family
/// spent most of its time waiting on memory).
enum AgentFamily: Int, CaseIterable {
    case events, stateSeconds, talkSeconds, calls, dispositions, logins, logouts, state, stateStart, lastEvent

    static let count = 10

    var name: String {
        switch self {
        case .events: "vicidial_agent_events"
        case .stateSeconds: "vicidial_agent_state_seconds"
        case .talkSeconds: "vicidial_agent_talk_seconds"
        case .calls: "vicidial_agent_calls"
        case .dispositions: "vicidial_agent_dispositions"
        case .logins: "vicidial_agent_logins"
        case .logouts: "vicidial_agent_logouts"
        case .state: "vicidial_agent_state"
        case .stateStart: "vicidial_agent_state_start_timestamp_seconds"
        case .lastEvent: "vicidial_agent_last_event_timestamp_seconds"
        }
    }

    var type: MetricType {
        switch self {
        case .state, .stateStart, .lastEvent: .gauge
        default: .counter
        }
    }

    var help: String {
        switch self {
        case .events: "Agent events accepted, by event type."
        case .stateSeconds:
            "Seconds logged in, by state (pause, wait, talk, dead, dispo); they add up to login time. "
                + "VICIdial's TALK is talk + dead."
        case .talkSeconds: "Seconds from call_answered to the end of the call (agent_hangup or what replaces it): talk + dead."
        case .calls: "Calls answered (call_answered or other_answered)."
        case .dispositions: "Calls dispositioned, by status code (dispo_set)."
        case .logins: "Agent screen sessions started (logged_in)."
        case .logouts:
            "Logouts by reason: NORMAL, CLOSE (browser closed or reloaded), API, SHIFT, READY_TIMEOUT, TIMEOUT (pause limit), other."
        case .state: "1 for the current state of a logged-in agent, 0 for the others."
        case .stateStart: "Unix time the agent's current state began."
        case .lastEvent: "Unix time of the agent's last accepted event."
        }
    }
}

/// One buffer per agent family, kept between scrapes (`ScrapeBuffers`).
typealias AgentFamilySections = InlineArray<10, OutputBuffer>

extension ExpositionWriter {
    /// Writes the agents at `positions` (in user order) into `buffers`, one family per buffer, in
    /// `format`; with `metadata`, each family starts with its HELP and TYPE lines (the first part
    /// of a page rendered in parts, `AgentSectionParts`).
    static func writeAgentMetrics(
        _ snapshot: LedgerSnapshot, at positions: Range<Int>, metadata: Bool, format: ExpositionFormat,
        into buffers: inout AgentFamilySections
    ) {
        var sections = InlineArray<10, ExpositionWriter> { index in
            var buffer = OutputBuffer(capacity: 0)
            swap(&buffer, &buffers[index])
            var writer = ExpositionWriter(format: format, into: buffer)
            let family = AgentFamily(rawValue: index)!
            if metadata {
                writer.family(family.name, type: family.type, help: family.help)
            } else {
                writer.continueFamily(family.name, type: family.type)
            }
            return writer
        }
        snapshot.forEachAgent(at: positions) { agent in
            let user = agent.escapedUser
            let counts = agent.knownEventCounts
            for index in counts.indices where counts[index] > 0 {
                sections[AgentFamily.events.rawValue].counter(
                    "user", escapedValue: user, more: RenderedLabels.events[index], count: counts[index])
            }
            for (event, count) in agent.unknownEventCounts.sorted(by: { $0.key < $1.key }) {
                sections[AgentFamily.events.rawValue].counter("user", escapedValue: user, "event", event, count: count)
            }
            let state = agent.state
            for candidate in AgentState.allCases {
                sections[AgentFamily.stateSeconds.rawValue].counter(
                    "user", escapedValue: user, more: RenderedLabels.states[candidate.index], agent.seconds(in: candidate))
                sections[AgentFamily.state.rawValue].gauge(
                    "user", escapedValue: user, more: RenderedLabels.states[candidate.index], state == candidate ? 1 : 0)
            }
            sections[AgentFamily.talkSeconds.rawValue].counter(
                "user", escapedValue: user, agent.seconds(in: .talk) + agent.seconds(in: .dead))
            sections[AgentFamily.calls.rawValue].counter("user", escapedValue: user, count: agent.calls)
            for (status, count) in agent.dispositions.sorted(by: { $0.key < $1.key }) {
                sections[AgentFamily.dispositions.rawValue].counter("user", escapedValue: user, "status", status, count: count)
            }
            sections[AgentFamily.logins.rawValue].counter("user", escapedValue: user, count: agent.logins)
            for (reason, count) in agent.logouts.sorted(by: { $0.key < $1.key }) {
                sections[AgentFamily.logouts.rawValue].counter("user", escapedValue: user, "reason", reason, count: count)
            }
            if let since = agent.stateSince {
                sections[AgentFamily.stateStart.rawValue].gauge("user", escapedValue: user, since)
            }
            if let last = agent.lastEventTime {
                sections[AgentFamily.lastEvent.rawValue].gauge("user", escapedValue: user, last)
            }
        }
        for index in 0..<AgentFamily.count {
            var buffer = sections[index].takeBuffer()
            swap(&buffer, &buffers[index])
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
