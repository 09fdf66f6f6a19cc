import AgentEvents

/// The per-agent state ledger: pure, deterministic, no I/O and no clock of its own. Every call
/// takes the time from the caller (the injected clock lives at the edge), so a test drives it
/// to the exact second. It is a value: `Codable` so a journal can snapshot and restore it.
///
/// The data path: a push becomes a `LedgerEvent` (labels bounded here, across agents), the
/// agent's `AgentStream` orders it and places it on the agent's clock, the agent's
/// `AgentAccount` runs the state machine on what comes out in order, and the ledger feeds what
/// the account observed to the histograms and counts what happened in `statistics`.
///
/// Advances (scrapes) touch only the agents that are due (`DeadlineQueue`): the open-interval
/// accrual an advance owes every other agent is made when that agent is next touched, and a
/// snapshot shows it meanwhile, so what is reported is the same as if every agent had been
/// walked.
public struct AgentLedger: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Applied at once, in counter order (or carrying no counter).
        case applied
        /// Waiting (at most the reorder window) for an earlier counter.
        case held
        /// An exact repeat: counted and dropped.
        case duplicate
        /// Arrived after its place was given up: counted, but it does not move the agent's state.
        case late
        /// A new user while `maxAgents` are tracked (counted by the caller as a rejection).
        case refusedTooManyAgents
    }

    /// What a held event waits for, so the answer can say it (a new agent's first push held is
    /// the screen's normal race, not a fault).
    public enum HoldReason: Sendable, Equatable {
        /// One of the page's first counters (0 up to 8): a new agent, or a reloaded screen, whose
        /// first pushes overtook each other or came before the exporter saw the page start.
        case pageStart
        /// An earlier counter that an independent push overtook.
        case earlierCounter
        /// The previous page's last pushes: the agent screen was reloaded.
        case pageSwitch
    }

    public struct IngestResult: Sendable, Equatable {
        public var outcome: Outcome
        /// Set the first time an unknown (newer VICIdial?) event name is seen, for a one-time log line.
        public var newUnknownEventName: String?
        /// Set when `outcome` is `.held`.
        public var holdReason: HoldReason?
    }

    public var configuration: LedgerConfiguration {
        didSet { rescheduleAll() }
    }
    var table = AgentTable()
    private var deadlines = DeadlineQueue()
    /// The histograms and statistics, which what happens to any agent adds to.
    var tally = Tally(histograms: LedgerHistograms(), statistics: LedgerStatistics())
    /// Label values admitted so far, across all agents (`maxUnknownEventNames`, `maxStatusValues`).
    var unknownEventNames: Set<String> = []
    var statusValues: Set<String> = []
    var pauseCodeValues: Set<String> = []
    /// The latest advance (receive clock), and how many there have been.
    var advancedTo = -Double.infinity
    var advances: UInt64 = 0

    public init(configuration: LedgerConfiguration = LedgerConfiguration()) {
        self.configuration = configuration
    }

    public var agentCount: Int { table.count }
    public var histograms: LedgerHistograms { tally.histograms }
    public var statistics: LedgerStatistics { tally.statistics }

    /// One agent as of the latest advance.
    func agent(_ user: String) -> TrackedAgent? {
        guard let slot = table.slot(of: user) else { return nil }
        var agent = table[slot]
        Self.catchUp(&agent, advances: advances, advancedTo: advancedTo)
        return agent
    }

    /// Every agent as of the latest advance, by user (walks them all: for tests and tools).
    var agents: [String: TrackedAgent] {
        var agents: [String: TrackedAgent] = [:]
        for slot in table.view.order {
            var agent = table[slot]
            Self.catchUp(&agent, advances: advances, advancedTo: advancedTo)
            agents[agent.user] = agent
        }
        return agents
    }

    /// Takes one validated event received at `receivedAt` (the exporter's clock, Unix seconds).
    public mutating func ingest(_ event: AgentEvent, receivedAt: Double) -> IngestResult {
        let slot: Int32
        if let known = table.slot(of: event.user) {
            slot = known
        } else {
            guard table.count < configuration.maxAgents else { return IngestResult(outcome: .refusedTooManyAgents) }
            slot = table.insert(TrackedAgent(user: event.user, receivedAt: receivedAt, advancesSeen: advances))
        }
        var newUnknownEventName: String?
        let label: String
        switch event.event {
        case .known(.dispoSet): label = statusLabel(event.message)
        case .known: label = ""
        case .unknown(let name): label = unknownEventLabel(name, firstSeen: &newUnknownEventName)
        }
        let outcome = Self.deliver(
            LedgerEvent(event, label: label), receivedAt: receivedAt, to: &table[slot],
            advances: advances, advancedTo: advancedTo, configuration: configuration, tally: &tally)
        reschedule(slot)
        if outcome != .duplicate { tally.statistics.accepted += 1 }
        return IngestResult(
            outcome: outcome, newUnknownEventName: newUnknownEventName,
            holdReason: outcome == .held ? table[slot].stream.sequence.holdReason : nil)
    }

    /// Brings the ledger up to `now` (receive clock): releases held events whose wait is over,
    /// closes out sessions silent beyond the timeout, forgets expired agents, and accrues open
    /// intervals so running states grow between events (lazily: see the type's comment).
    /// An advance to a time before the latest one (a clock stepped back, or two scrapes that
    /// read the clock in one order and reached the ledger in the other) is one to the latest.
    public mutating func advance(to requested: Double) {
        let now = max(requested, advancedTo)
        var expired: [Int32] = []
        for slot in deadlines.takeDue(at: now) {
            Self.catchUp(&table[slot], advances: advances, advancedTo: advancedTo)
            if attend(slot, at: now) {
                expired.append(slot)
            } else {
                reschedule(slot)
            }
        }
        for slot in expired { table.remove(slot) }
        tally.statistics.agentsExpired += UInt64(expired.count)
        advancedTo = now
        advances &+= 1  // wrapping: a snapshot is data, and 2^64 advances never happen live
    }

    /// `advance(to:)`, then a consistent copy to render outside any lock: it shares the
    /// agents' storage (copy-on-write, chunk by chunk), so taking it costs no walk.
    public mutating func snapshot(at now: Double) -> LedgerSnapshot {
        advance(to: now)
        return view()
    }

    /// The ledger as it stands, not advanced: what a scrape shows while the ledger must not move
    /// (its journal is failing, so an advance could not be recorded).
    public func view() -> LedgerSnapshot {
        LedgerSnapshot(agents: table.view, advances: advances, advancedTo: advancedTo, histograms: histograms, statistics: statistics)
    }

    // MARK: - One agent

    struct Tally {
        var histograms: LedgerHistograms
        var statistics: LedgerStatistics

        mutating func observe(_ observations: AgentAccount.Observations) {
            if let seconds = observations.callDuration { histograms.callDuration.observe(seconds) }
            if let pause = observations.pause { histograms.pauseDuration.observe(pause.end - pause.start) }
            if let seconds = observations.dispoDuration { histograms.dispoDuration.observe(seconds) }
        }
    }

    /// What the agent's account observed: into the histograms, and a closed pause into the
    /// agent's pause-code book (closed at `receivedAt`, receive clock) while pause codes are tracked.
    private static func take(
        _ observations: AgentAccount.Observations, for agent: inout TrackedAgent, at receivedAt: Double,
        configuration: LedgerConfiguration, tally: inout Tally
    ) {
        tally.observe(observations)
        if configuration.tracksPauseCodes, let pause = observations.pause {
            agent.pauseCodes.closed(PauseCodeBook.ClosedPause(start: pause.start, end: pause.end, closedAt: receivedAt))
        }
    }

    /// Events a wait released: they go to the account in order.
    private static func applyReleased(
        _ events: [TimedEvent], to agent: inout TrackedAgent, at receivedAt: Double, configuration: LedgerConfiguration,
        tally: inout Tally
    ) {
        for event in events {
            tally.statistics.reordered += 1
            take(agent.account.record(event, movesState: true), for: &agent, at: receivedAt, configuration: configuration, tally: &tally)
        }
    }

    /// An event through the agent's stream, then what comes out in order through its account.
    private static func deliver(
        _ event: LedgerEvent, receivedAt: Double, to agent: inout TrackedAgent, advances: UInt64, advancedTo: Double,
        configuration: LedgerConfiguration, tally: inout Tally
    ) -> Outcome {
        catchUp(&agent, advances: advances, advancedTo: advancedTo)
        let arrival = agent.stream.receive(
            event, at: receivedAt, maxSkew: configuration.maxClockSkew, window: configuration.reorderWindow)
        applyReleased(arrival.released, to: &agent, at: receivedAt, configuration: configuration, tally: &tally)
        switch arrival.verdict {
        case .duplicate:
            tally.statistics.duplicates += 1
            return .duplicate
        case .late:
            tally.statistics.late += 1
            tally.observe(agent.account.record(arrival.timed, movesState: false))
        case .inOrder, .held:
            break
        }
        for (ready, wasHeld) in arrival.ready {
            if wasHeld { tally.statistics.reordered += 1 }
            take(agent.account.record(ready, movesState: true), for: &agent, at: receivedAt, configuration: configuration, tally: &tally)
        }
        return switch arrival.verdict {
        case .held: .held
        case .late: .late
        default: .applied
        }
    }

    /// Makes the accrual the latest advance (the `advances`th, to `time`) owes an agent it
    /// skipped (not due). Those before it owe nothing more: accrual only moves forward, and the
    /// agent's state and clock have not changed since it was last touched.
    static func catchUp(_ agent: inout TrackedAgent, advances: UInt64, advancedTo time: Double) {
        guard agent.advancesSeen < advances else { return }
        if agent.accruesAtAdvance { agent.account.accrue(to: agent.accrualMark(advancingTo: time)) }
        agent.advancesSeen = advances
    }

    /// An advance to `now` for an agent that is due; returns whether it has expired.
    private mutating func attend(_ slot: Int32, at now: Double) -> Bool {
        let expired = Self.attend(&table[slot], at: now, seeing: advances &+ 1, configuration: configuration, tally: &tally)
        // Pauses that waited `pauseCodeWait` for a poll go to the codes known by then.
        if !expired { attributePauses(of: slot, closedBy: now - configuration.pauseCodeWait) }
        return expired
    }

    private static func attend(
        _ agent: inout TrackedAgent, at now: Double, seeing advance: UInt64, configuration: LedgerConfiguration,
        tally: inout Tally
    ) -> Bool {
        applyReleased(
            agent.stream.release(at: now, window: configuration.reorderWindow), to: &agent, at: now, configuration: configuration,
            tally: &tally)
        agent.advancesSeen = advance
        let silence = now - agent.stream.lastReceivedAt
        if agent.account.state != nil {
            if silence >= configuration.sessionTimeout {
                take(agent.account.closeOut(at: agent.stream.agentTime(at: now)), for: &agent, at: now, configuration: configuration, tally: &tally)
                tally.statistics.sessionsClosedOut += 1
            } else if !agent.stream.isHolding {
                // What a scrape reports is final, so it stays behind anything still to come:
                // nothing while a gap is open (the missing push may end the state earlier).
                agent.account.accrue(to: agent.accrualMark(advancingTo: now))
            }
            return false
        }
        return configuration.expireAfter > 0 && silence >= configuration.expireAfter && !agent.stream.isHolding
    }

    mutating func reschedule(_ slot: Int32) {
        deadlines.set(slot, to: Self.deadline(of: table[slot], configuration: configuration))
    }

    private mutating func rescheduleAll() {
        deadlines = DeadlineQueue()
        for slot in table.view.order { reschedule(slot) }
    }

    /// When an advance must next attend to `agent`: its earliest held event is due, or its
    /// silence reaches the session timeout (logged in) or the expiry (not logged in).
    static func deadline(of agent: TrackedAgent, configuration: LedgerConfiguration) -> Double? {
        var release = agent.stream.releaseDeadline(window: configuration.reorderWindow)
        if let closed = agent.pauseCodes.oldestClosedAt {
            let givenUp = closed + configuration.pauseCodeWait
            release = release.map { min($0, givenUp) } ?? givenUp
        }
        let silenceLimit: Double? =
            agent.account.state != nil
            ? configuration.sessionTimeout : configuration.expireAfter > 0 ? configuration.expireAfter : nil
        guard let silenceLimit else { return release }
        let silent = agent.stream.lastReceivedAt + silenceLimit
        return release.map { min($0, silent) } ?? silent
    }

    // MARK: - Pause codes

    /// Takes a poll of VICIdial's database that began at `polledAt` (receive clock): for each
    /// user in `rows` (an empty list counts: the poll found nothing new), the rows read, then
    /// every pause of that agent that closed before the poll began is attributed. Users not
    /// tracked are ignored. Does nothing unless `configuration.tracksPauseCodes`.
    public mutating func learnPauseCodes(_ rows: [String: [PauseCodeRow]], polledAt: Double) {
        guard configuration.tracksPauseCodes else { return }
        for (user, learned) in rows.sorted(by: { $0.key < $1.key }) {
            guard let slot = table.slot(of: user) else { continue }
            Self.catchUp(&table[slot], advances: advances, advancedTo: advancedTo)
            table[slot].pauseCodes.learn(learned)
            attributePauses(of: slot, closedBy: polledAt)
            attributeOpenPause(of: slot)
        }
    }

    /// Gives the open pause's counted seconds to the recorded codes they fall under.
    private mutating func attributeOpenPause(of slot: Int32) {
        let account = table[slot].account
        guard account.state == .pause, let start = account.stateSince else { return }
        for part in table[slot].pauseCodes.takeOpen(since: start, until: account.accountedUntil) {
            let label = pauseCodeLabel(part.row)
            table[slot].pauseCodes.add(part.seconds, to: label)
        }
    }

    /// Attributes the agent's pauses closed by `closedBy` and drops the rows no pause needs.
    private mutating func attributePauses(of slot: Int32, closedBy: Double) {
        let parts = table[slot].pauseCodes.takePending(closedBy: closedBy)
        for part in parts {
            let label = pauseCodeLabel(part.row)
            table[slot].pauseCodes.add(part.seconds, to: label)
        }
        let openSince = table[slot].account.state == .pause ? table[slot].account.stateSince : nil
        table[slot].pauseCodes.prune(openSince: openSince)
        reschedule(slot)
    }

    /// A part's label: its row's code, through the same cap as dispositions (`maxStatusValues`
    /// distinct codes, then `other`); `no_code` for a row without one, `unknown` for no row.
    private mutating func pauseCodeLabel(_ row: PauseCodeRow?) -> String {
        guard let row else { return LabelValues.unknownPauseCode }
        let code = row.code.trimmingSpaces()
        guard !code.isEmpty else { return LabelValues.noPauseCode }
        let label = LabelValues.dispositionStatus(code)
        if label == LabelValues.other || pauseCodeValues.contains(label) { return label }
        guard pauseCodeValues.count < configuration.maxStatusValues else {
            tally.statistics.labelOverflows.pauseCode += 1
            return LabelValues.other
        }
        pauseCodeValues.insert(label)
        return label
    }

    // MARK: - Labels

    /// A dispo_set's status label: the status while fewer than `maxStatusValues` distinct ones
    /// have been seen (or it is one of them), else `other`, so the series stay bounded.
    private mutating func statusLabel(_ message: String) -> String {
        let status = LabelValues.dispositionStatus(message)
        if status == LabelValues.other || statusValues.contains(status) { return status }
        guard statusValues.count < configuration.maxStatusValues else {
            tally.statistics.labelOverflows.status += 1
            return LabelValues.other
        }
        statusValues.insert(status)
        return status
    }

    /// An unknown event's label: its name while fewer than `maxUnknownEventNames` distinct ones
    /// have been seen (or it is one of them), else `other`.
    private mutating func unknownEventLabel(_ name: String, firstSeen: inout String?) -> String {
        if unknownEventNames.contains(name) { return name }
        guard unknownEventNames.count < configuration.maxUnknownEventNames else {
            tally.statistics.labelOverflows.unknownEvent += 1
            return LabelValues.other
        }
        unknownEventNames.insert(name)
        firstSeen = name
        return name
    }
}
