import AgentEvents
import Testing
@testable import AgentLedger

/// Invariants over random agent days in random delivery orders (seeded, reproducible).
@Suite struct LedgerPropertyTests {
    static let seeds: [UInt64] = Array(1...150)
    static let start: Int64 = 1_764_000_000

    private static func day(seed: UInt64) -> AgentDay {
        var rng = SplitMix64(seed: seed)
        return AgentDay(user: "u\(seed)", start: start, actions: Int.random(in: 5...60, using: &rng), using: &rng)
    }

    /// Delivers events at `epoch + delay` in receive order; returns the ledger after the day.
    private static func deliver(
        _ events: [AgentEvent], delays: [Double], scrapes: [Double] = [],
        check: (AgentLedger) -> Void = { _ in }
    ) -> AgentLedger {
        var ledger = AgentLedger()
        let arrivals = zip(events, delays).map { (event: $0, at: Double($0.epoch!) + $1) }
            .enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        var pendingScrapes = scrapes.sorted()[...]
        for arrival in arrivals {
            while let scrape = pendingScrapes.first, scrape <= arrival.at {
                pendingScrapes.removeFirst()
                _ = ledger.snapshot(at: scrape)
                check(ledger)
            }
            _ = ledger.ingest(arrival.event, receivedAt: arrival.at)
            check(ledger)
        }
        ledger.advance(to: (arrivals.last?.at ?? 0) + 10)
        check(ledger)
        return ledger
    }

    @Test(arguments: seeds)
    func statesSumToSessionTime(seed: UInt64) {
        let day = Self.day(seed: seed)
        let ledger = Self.deliver(day.events, delays: Array(repeating: 0.3, count: day.events.count))
        let record = ledger.agent("u\(seed)")!.account
        #expect(record.stateSeconds.reduce(0, +) == Double(day.sessionSeconds))
        #expect(record.state == nil)
        #expect(ledger.statistics.late == 0)
        #expect(ledger.statistics.duplicates == 0)
    }

    /// Jitter below the reorder window must not change a single number.
    @Test(arguments: seeds)
    func shuffledDeliveryWithinTheWindowGivesTheSameTotals(seed: UInt64) {
        let day = Self.day(seed: seed)
        var rng = SplitMix64(seed: seed &* 7919)
        let inOrder = Self.deliver(day.events, delays: Array(repeating: 0.3, count: day.events.count))
        let jitter = day.events.map { _ in Double.random(in: 0..<0.9, using: &rng) }
        let shuffled = Self.deliver(day.events, delays: jitter)
        #expect(Totals(shuffled.agent("u\(seed)")!.account) == Totals(inOrder.agent("u\(seed)")!.account))
        #expect(shuffled.histograms == inOrder.histograms)
        #expect(shuffled.statistics.late == 0)
        #expect(shuffled.agent("u\(seed)")!.account.stateSeconds.reduce(0, +) == Double(day.sessionSeconds))
    }

    /// Scrapes at random moments, late events, duplicates and delays beyond the window: no
    /// counter may ever go down between two looks.
    @Test(arguments: seeds)
    func noCounterEverDecreases(seed: UInt64) {
        let day = Self.day(seed: seed)
        var rng = SplitMix64(seed: seed &* 104_729)
        var events = day.events
        for _ in 0..<(events.count / 10) { events.append(events.randomElement(using: &rng)!) }  // repeats
        let delays = events.map { _ in Bool.random(using: &rng) ? 0 : Double.random(in: 0..<4, using: &rng) }
        let end = Double(events.map { $0.epoch! }.max()!) + 5
        let scrapes = (0..<40).map { _ in Double.random(in: Double(Self.start)...end, using: &rng) }
        var previous: Totals?
        let ledger = Self.deliver(events, delays: delays, scrapes: scrapes) { ledger in
            guard let record = ledger.agent("u\(seed)")?.account else { return }
            let now = Totals(record)
            if let previous { #expect(now.isNeverBelow(previous), "seed \(seed)") }
            previous = now
        }
        #expect(ledger.statistics.duplicates >= UInt64(events.count - day.events.count) / 2)
    }
}

extension LedgerPropertyTests {
    /// Hostile streams: low counters reused in bursts (reload storms, two tabs), missing epochs,
    /// clocks jumping both ways. Nothing may trap, and states still add up to at most the time seen.
    @Test(arguments: seeds)
    func arbitraryStreamsNeverTrapOrOvercount(seed: UInt64) {
        var rng = SplitMix64(seed: seed &* 31_337)
        var ledger = AgentLedger()
        var now = Double(Self.start)
        for _ in 0..<400 {
            now += Double.random(in: 0..<0.6, using: &rng)
            let event = AgentEvent(
                user: "fuzz\(Int.random(in: 0..<3, using: &rng))",
                event: .known(KnownEvent.ordered.randomElement(using: &rng)!),
                message: ["", "SALE", "CLOSE", "CHECK-FOR-CALL COMPLETE: 1"].randomElement(using: &rng)!,
                counter: Bool.random(using: &rng) ? Int.random(in: 0...12, using: &rng) : nil,
                epoch: Int.random(in: 0..<5, using: &rng) == 0 ? nil : Int64(now) + Int64.random(in: -3...3, using: &rng))
            _ = ledger.ingest(event, receivedAt: now)
            if Int.random(in: 0..<10, using: &rng) == 0 { ledger.advance(to: now) }
        }
        ledger.advance(to: now + 5)
        // Epochs run up to 3 s either side of the receive clock: the agent's clock can span 6 s more.
        let span = now + 5 - Double(Self.start) + 6
        for record in ledger.agents.values.map(\.account) {
            #expect(record.stateSeconds.allSatisfy { $0 >= 0 })
            #expect(record.stateSeconds.reduce(0, +) <= span)
        }
    }
}

/// Every counter of one agent, for comparing two ledgers or two moments.
private struct Totals: Equatable {
    var values: [String: Double] = [:]

    init(_ record: AgentAccount) {
        for state in AgentState.allCases { values["state.\(state)"] = record.stateSeconds[state.index] }
        values["calls"] = Double(record.calls)
        values["logins"] = Double(record.logins)
        for (reason, count) in record.logouts { values["logout.\(reason)"] = Double(count) }
        for (status, count) in record.dispositions { values["dispo.\(status)"] = Double(count) }
        for (index, event) in KnownEvent.allCases.enumerated() { values["event.\(event)"] = Double(record.knownEventCounts[index]) }
    }

    func isNeverBelow(_ earlier: Totals) -> Bool {
        earlier.values.allSatisfy { key, value in (values[key] ?? 0) >= value }
    }
}
