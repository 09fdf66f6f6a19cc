import AgentEvents
@testable import AgentLedger

/// The counters of one page load of the agent screen: what is expected next, what waits for a
/// gap, what was given up, and the recent pushes for duplicate detection.
///
/// Its memory is bounded whatever arrives: at most `maxHeld` held events, `recentCapacity`
/// fingerprints and `2 * recentCapacity` skipped counters.
struct LegacyPage: Sendable, Codable, Equatable {
    /// How many recent counters are remembered for duplicate detection.
    static let recentCapacity = 64
    /// The most events held for a gap; one more releases the oldest as if its window had passed.
    static let maxHeld = 32
    /// A counter this far above the new page's highest cannot be the new page's own.
    static let stragglerMargin = LegacySequence.pageStartCounters

    /// Where a page stood when it was replaced: which counters it could still receive.
    struct Position: Sendable, Codable, Equatable {
        var next: Int
        var skipped: Set<Int>

        /// Whether an event belongs to this (older) page rather than to the new one: a counter this
        /// page could still receive that is far above the new page's, or stamped before the new page began.
        func isStraggler(_ event: LedgerEvent, newPageHighest: Int, newPageFirstEpoch: Int64?) -> Bool {
            guard let counter = event.counter, counter >= next || skipped.contains(counter) else { return false }
            if counter > newPageHighest + LegacyPage.stragglerMargin { return true }
            if let epoch = event.epoch, let newPageFirstEpoch, epoch < newPageFirstEpoch { return true }
            return false
        }

        func canStillDeliver(newPageHighest: Int) -> Bool {
            newPageHighest + LegacyPage.stragglerMargin < max(next, skipped.max() ?? 0)
        }
    }

    private(set) var next: Int?
    private(set) var held: [TimedEvent] = []
    private(set) var highest = -1
    /// The earliest epoch among this page's events.
    private(set) var firstEpoch: Int64?
    private var skipped: Set<Int> = []
    /// Fingerprints of recent pushes by `counter % recentCapacity`; allocated on first use.
    private var recent: [UInt64] = []
    private var lastEpoch: Int64?

    var position: Position { Position(next: next ?? 0, skipped: skipped) }

    mutating func start(at counter: Int) { next = counter }

    func isDuplicate(_ timed: TimedEvent) -> Bool {
        guard let counter = timed.event.counter else { return false }
        let fingerprint = timed.event.fingerprint
        return (!recent.isEmpty && recent[slot(counter)] == fingerprint)
            || held.contains { $0.event.fingerprint == fingerprint }
    }

    /// Remembers a push for duplicate detection.
    mutating func remember(_ timed: TimedEvent) {
        guard let counter = timed.event.counter else { return }
        if recent.isEmpty { recent = Array(repeating: 0, count: Self.recentCapacity) }
        recent[slot(counter)] = timed.event.fingerprint
    }

    /// Whether `counter` was given up earlier (and forgets it, so a repeat is a duplicate, not late twice).
    mutating func takeSkipped(_ counter: Int) -> Bool { skipped.remove(counter) != nil }

    /// Takes an event at or above `next`: applied at once when it is next, else held.
    mutating func enqueue(_ timed: TimedEvent) -> LegacySequence.Delivery {
        let counter = timed.event.counter ?? 0
        // Never hold below `next`: such a push's place is gone (callers route those as late first).
        if let next, counter < next { return LegacySequence.Delivery(verdict: .late, ready: []) }
        highest = max(highest, counter)
        if let epoch = timed.event.epoch { firstEpoch = min(firstEpoch ?? epoch, epoch) }
        remember(timed)
        if held.isEmpty, counter == next {
            advance(past: timed)
            return LegacySequence.Delivery(verdict: .inOrder, ready: [(timed, false)])
        }
        let position = held.firstIndex { ($0.event.counter ?? 0) > counter } ?? held.endIndex
        held.insert(timed, at: position)
        var ready: [(event: TimedEvent, wasHeld: Bool)] = []
        while let first = held.first, first.event.counter == next || held.count > Self.maxHeld {
            // Past `maxHeld`, the oldest gap is given up now rather than at the end of its window.
            if let expected = next, let firstCounter = first.event.counter, firstCounter > expected {
                markSkipped(expected..<firstCounter)
            }
            held.removeFirst()
            advance(past: first)
            ready.append((first, first.event.counter != counter))
        }
        releaseStorageWhenEmpty()
        let appliedAtOnce = ready.contains { $0.event.event.counter == counter }
        return LegacySequence.Delivery(verdict: appliedAtOnce ? .inOrder : .held, ready: ready)
    }

    /// Releases held events whose gap filled or whose wait reached `window` by `now`.
    mutating func releaseExpired(at now: Double, window: Double) -> [TimedEvent] {
        var ready: [TimedEvent] = []
        while let first = held.first, let expected = next {
            let counter = first.event.counter ?? expected
            if counter > expected {
                guard first.receivedAt + window <= now else { break }
                markSkipped(expected..<counter)
            }
            held.removeFirst()
            ready.append(first)
            advance(past: first)
        }
        releaseStorageWhenEmpty()
        return ready
    }

    /// A counter below the expected one is a new page load when it is one of a page's first
    /// pushes (or a logged_in) and not older than what this page already applied.
    func startsNewPage(_ event: LedgerEvent, counter: Int) -> Bool {
        guard counter <= LegacySequence.pageStartCounters || event.event == .known(.loggedIn) else { return false }
        if let epoch = event.epoch, let lastEpoch, epoch < lastEpoch { return false }
        return true
    }

    private mutating func advance(past timed: TimedEvent) {
        guard let counter = timed.event.counter else { return }
        // A second, different push with an already applied counter (a confused screen) goes right after it.
        next = max(next ?? 0, counter + 1)
        if let epoch = timed.event.epoch { lastEpoch = max(lastEpoch ?? epoch, epoch) }
    }

    /// An emptied array keeps its capacity; an agent that once held `maxHeld` events should not.
    private mutating func releaseStorageWhenEmpty() {
        if held.isEmpty && held.capacity > 0 { held = [] }
    }

    private func slot(_ counter: Int) -> Int { counter % Self.recentCapacity }

    private mutating func markSkipped(_ counters: Range<Int>) {
        // Only the recent past can still arrive; bound the set for a counter that jumped far.
        skipped.formUnion(counters.suffix(Self.recentCapacity))
        if skipped.count > 2 * Self.recentCapacity {
            let floor = counters.upperBound - Self.recentCapacity
            skipped = skipped.filter { $0 >= floor }
        }
    }
}
