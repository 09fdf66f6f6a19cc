import AgentEvents
@testable import AgentLedger

/// The per-agent state ledger: pure, deterministic, no I/O and no clock of its own. Every call
/// takes the time from the caller (the injected clock lives at the edge), so a test drives it
/// to the exact second. It is a value: `Codable` so a journal can snapshot and restore it.
struct LegacyLedger: Sendable, Codable, Equatable {
    enum Outcome: Sendable, Equatable {
        /// Applied at once, in counter order (or carrying no counter).
        case applied
        /// Waiting (at most the reorder window) for an earlier counter.
        case held
        /// An exact repeat: counted and dropped.
        case duplicate
        /// Arrived after its place was given up: counted, but it does not move the agent's state.
        case late
        /// A new user while `maxAgents` are tracked.
        case refusedTooManyAgents
    }

    struct IngestResult: Sendable, Equatable {
        var outcome: Outcome
        /// Set the first time an unknown (newer VICIdial?) event name is seen, for a one-time log line.
        var newUnknownEventName: String?
    }

    var configuration: LedgerConfiguration
    private(set) var agents: [String: LegacyRecord] = [:]
    private(set) var histograms = LedgerHistograms()
    private(set) var statistics = LedgerStatistics()
    /// Label values admitted so far, across all agents (`maxUnknownEventNames`, `maxStatusValues`).
    private var unknownEventNames: Set<String> = []
    private var statusValues: Set<String> = []

    init(configuration: LedgerConfiguration = LedgerConfiguration()) {
        self.configuration = configuration
    }

    /// Takes one validated event received at `receivedAt` (the exporter's clock, Unix seconds).
    mutating func ingest(_ event: AgentEvent, receivedAt: Double) -> IngestResult {
        if agents[event.user] == nil {
            guard agents.count < configuration.maxAgents else {
                                return IngestResult(outcome: .refusedTooManyAgents)
            }
            agents[event.user] = LegacyRecord(user: event.user, receivedAt: receivedAt)
        }
        var newUnknownEventName: String?
        if case .unknown(let name) = event.event, !unknownEventNames.contains(name) {
            if unknownEventNames.count < configuration.maxUnknownEventNames {
                unknownEventNames.insert(name)
                newUnknownEventName = name
            } else {
                statistics.labelOverflows.unknownEvent += 1
            }
        }
        let ledgerEvent = LedgerEvent(event, label: event.event == .known(.dispoSet) ? statusLabel(event.message) : unknownLabel(event.event))
        let outcome = update(event.user) { record, ledger in
            let timed = record.timed(ledgerEvent, receivedAt: receivedAt, maxSkew: ledger.configuration.maxClockSkew)
            ledger.apply(record.sequence.release(at: receivedAt, window: ledger.configuration.reorderWindow), to: &record)
            let delivery = record.sequence.receive(timed, window: ledger.configuration.reorderWindow)
            switch delivery.verdict {
            case .duplicate:
                ledger.statistics.duplicates += 1
                return Outcome.duplicate
            case .late:
                ledger.statistics.late += 1
                ledger.apply(timed, movesState: false, to: &record)
            case .inOrder, .held:
                break
            }
            record.noteAccepted(timed)
            for (ready, wasHeld) in delivery.ready {
                if wasHeld { ledger.statistics.reordered += 1 }
                ledger.apply(ready, movesState: true, to: &record)
            }
            return switch delivery.verdict {
            case .held: .held
            case .late: .late
            default: .applied
            }
        }
        if outcome != .duplicate { statistics.accepted += 1 }
        return IngestResult(outcome: outcome, newUnknownEventName: newUnknownEventName)
    }

    /// Brings every agent up to `now` (receive clock): releases held events whose wait is over,
    /// closes out sessions silent beyond the timeout, forgets expired agents, and accrues open
    /// intervals so running states grow between events.
    mutating func advance(to now: Double) {
        var expired: [String] = []
        for user in agents.keys {
            update(user) { record, ledger in
                ledger.apply(record.sequence.release(at: now, window: ledger.configuration.reorderWindow), to: &record)
                let silence = now - record.lastReceivedAt
                if record.state != nil {
                    if silence >= ledger.configuration.sessionTimeout {
                        record.closeOut(at: record.agentTime(at: now), histograms: &ledger.histograms)
                        ledger.statistics.sessionsClosedOut += 1
                    } else if !record.sequence.isHolding {
                        // What a scrape reports is final, so it stays behind anything still to come:
                        // nothing while a gap is open (the missing push may end the state earlier),
                        // and only whole seconds, since a push stamped this second (epochs have 1 s
                        // resolution) must still fit in after it.
                        record.accrue(to: record.agentTime(at: now).rounded(.down))
                    }
                } else if ledger.configuration.expireAfter > 0, silence >= ledger.configuration.expireAfter,
                    !record.sequence.isHolding
                {
                    expired.append(user)
                }
            }
        }
        for user in expired { agents[user] = nil }
        statistics.agentsExpired += UInt64(expired.count)
    }

    private mutating func apply(_ events: [TimedEvent], to record: inout LegacyRecord) {
        for event in events {
            statistics.reordered += 1
            apply(event, movesState: true, to: &record)
        }
    }

    private mutating func apply(_ timed: TimedEvent, movesState: Bool, to record: inout LegacyRecord) {
        var label: String?
        if case .unknown(let name) = timed.event.event {
            label = unknownEventNames.contains(name) ? name : LabelValues.other
        }
        record.apply(timed, movesState: movesState, eventLabel: label, histograms: &histograms)
    }

    /// The label an unknown event is counted under (the new ledger carries it in `detail`).
    private func unknownLabel(_ name: EventName) -> String {
        guard case .unknown(let name) = name else { return "" }
        return unknownEventNames.contains(name) ? name : LabelValues.other
    }

    /// A dispo_set's status label: the status while fewer than `maxStatusValues` distinct ones
    /// have been seen (or it is one of them), else `other`, so the series stay bounded.
    private mutating func statusLabel(_ message: String) -> String {
        let status = LabelValues.dispositionStatus(message)
        if status == LabelValues.other || statusValues.contains(status) { return status }
        guard statusValues.count < configuration.maxStatusValues else {
            statistics.labelOverflows.status += 1
            return LabelValues.other
        }
        statusValues.insert(status)
        return status
    }

    /// Mutates one record in place, with the rest of the ledger at hand.
    @discardableResult
    private mutating func update<Result>(
        _ user: String, _ body: (inout LegacyRecord, inout LegacyLedger) -> Result
    ) -> Result {
        var record = agents.removeValue(forKey: user)!
        defer { agents[user] = record }
        return body(&record, &self)
    }
}
