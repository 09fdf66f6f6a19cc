import AgentEvents
@testable import AgentLedger

/// Drives a ledger like one agent screen would: counters auto-increment per push, epochs are
/// offsets from `start`, and each push is received `latency` seconds after its epoch.
struct LedgerScript {
    static let start: Int64 = 1_764_000_000

    var ledger: AgentLedger
    var user = "6666"
    var nextCounter = 0
    var latency = 0.0

    init(configuration: LedgerConfiguration = LedgerConfiguration()) {
        ledger = AgentLedger(configuration: configuration)
    }

    /// Builds the event the screen would push at second `at`, taking the next counter.
    mutating func event(_ name: String, _ message: String = "", at second: Int64) -> AgentEvent {
        defer { nextCounter += 1 }
        return AgentEvent(
            user: user, event: EventName(name), message: message, counter: nextCounter,
            epoch: Self.start + second)
    }

    @discardableResult
    mutating func push(_ name: String, _ message: String = "", at second: Int64) -> AgentLedger.Outcome {
        let built = event(name, message, at: second)
        return deliver(built, receivedAt: Double(Self.start + second) + latency)
    }

    @discardableResult
    mutating func deliver(_ event: AgentEvent, receivedAt: Double) -> AgentLedger.Outcome {
        ledger.ingest(event, receivedAt: receivedAt).outcome
    }

    /// Receive time of second `at`.
    func time(_ second: Double) -> Double { Double(Self.start) + second }

    var record: AgentAccount { ledger.agent(user)!.account }

    var heldCount: Int { ledger.agent(user)!.stream.sequence.heldCount }

    /// Seconds per state, after accruing to `second` (when given).
    mutating func seconds(at second: Double? = nil) -> [AgentState: Double] {
        if let second { ledger.advance(to: time(second)) }
        return Self.seconds(of: record)
    }

    static func seconds(of record: AgentAccount) -> [AgentState: Double] {
        Dictionary(uniqueKeysWithValues: AgentState.allCases.map { ($0, record.stateSeconds[$0.index]) })
    }

    func count(_ event: KnownEvent) -> UInt64 {
        record.knownEventCounts[KnownEvent.allCases.firstIndex(of: event)!]
    }
}

func states(pause: Double = 0, wait: Double = 0, talk: Double = 0, dead: Double = 0, dispo: Double = 0)
    -> [AgentState: Double]
{
    [.pause: pause, .wait: wait, .talk: talk, .dead: dead, .dispo: dispo]
}
