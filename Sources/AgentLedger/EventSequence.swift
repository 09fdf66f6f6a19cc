import AgentEvents

/// Puts one agent's events back into the order the agent screen fired them.
///
/// The screen numbers its pushes with `counter` (0 at page load, +1 per push), but the pushes
/// are independent XHRs and overtake each other. An event ahead of a gap is held until the gap
/// fills or it has waited `window` seconds; an exact repeat is a duplicate; an event whose place
/// was already given up is late. A page load restarts the counter: a low counter (or a
/// `logged_in`) below the expected one, not older than the sequence, starts a new sequence,
/// and its own first events may also arrive out of order, so they wait for counter 0 too.
struct EventSequence: Sendable, Codable, Equatable {
    enum Verdict: Equatable {
        /// Applied at once, in order (or it carries no counter).
        case inOrder
        /// Waiting for an earlier counter.
        case held
        case duplicate
        /// Its place in the sequence was given up: count it, but it must not move the state.
        case late
    }

    struct Delivery: Equatable {
        var verdict: Verdict
        /// Events to apply now, in order; `wasHeld` marks those that waited.
        var ready: [(event: TimedEvent, wasHeld: Bool)]

        static func == (lhs: Delivery, rhs: Delivery) -> Bool {
            lhs.verdict == rhs.verdict
                && lhs.ready.map(\.event) == rhs.ready.map(\.event)
                && lhs.ready.map(\.wasHeld) == rhs.ready.map(\.wasHeld)
        }
    }

    /// A page load's first pushes (in-group/territory screens, then logged_in) have counters up to about this.
    static let pageStartCounters = 8
    /// How many recent counters are remembered for duplicate detection.
    static let recentCapacity = 64
    /// After a restart, counters this far above the new sequence still belong to the old one.
    static let stragglerMargin = 64

    private(set) var next: Int?
    private(set) var held: [TimedEvent] = []
    private var recent: [Fingerprint?] = Array(repeating: nil, count: EventSequence.recentCapacity)
    private var skipped: Set<Int> = []
    private var highest = -1
    private var lastEpoch: Int64?
    /// The counter the sequence before the last page load expected next.
    private var previousNext: Int?

    private struct Fingerprint: Sendable, Codable, Equatable {
        var counter: Int
        var event: EventName
        var epoch: Int64?
        var message: String

        init(_ event: AgentEvent, counter: Int) {
            self.counter = counter
            self.event = event.event
            self.epoch = event.epoch
            self.message = event.message
        }
    }

    /// The time of the earliest held event: nothing may be accounted beyond it before the gap resolves.
    var earliestHeldTime: Double? { held.lazy.map(\.time).min() }

    mutating func receive(_ timed: TimedEvent, window: Double) -> Delivery {
        guard let counter = timed.event.counter else {
            return Delivery(verdict: .inOrder, ready: [(timed, false)])
        }
        let fingerprint = Fingerprint(timed.event, counter: counter)
        if isDuplicate(fingerprint) { return Delivery(verdict: .duplicate, ready: []) }

        guard let expected = next else {
            // First counted event of this agent: a page start waits for counter 0, anything else starts here.
            next = counter <= Self.pageStartCounters ? 0 : counter
            return enqueue(timed, fingerprint)
        }
        if counter >= expected {
            if let previous = previousNext, counter >= previous, counter > highest + Self.stragglerMargin {
                remember(fingerprint)
                return Delivery(verdict: .late, ready: [])
            }
            return enqueue(timed, fingerprint)
        }
        if skipped.remove(counter) != nil {
            remember(fingerprint)
            return Delivery(verdict: .late, ready: [])
        }
        guard startsNewPage(timed.event, counter: counter) else {
            remember(fingerprint)
            return Delivery(verdict: .late, ready: [])
        }
        // The old sequence is over: whatever it still held is applied now, ahead of the new page.
        var ready = held.map { (event: $0, wasHeld: true) }
        previousNext = max(expected, highest + 1)
        next = 0
        held = []
        skipped = []
        highest = -1
        recent = Array(repeating: nil, count: Self.recentCapacity)
        var delivery = enqueue(timed, fingerprint)
        ready.append(contentsOf: delivery.ready)
        delivery.ready = ready
        return delivery
    }

    /// Releases held events whose gap filled or whose wait reached `window` by `now` (receive clock).
    mutating func release(at now: Double, window: Double) -> [TimedEvent] {
        var ready: [TimedEvent] = []
        while let first = held.first, let expected = next {
            let counter = first.event.counter ?? expected
            if counter != expected {
                guard first.receivedAt + window <= now else { break }
                markSkipped(expected..<counter)
            }
            held.removeFirst()
            ready.append(first)
            advance(past: first)
        }
        return ready
    }

    private mutating func enqueue(_ timed: TimedEvent, _ fingerprint: Fingerprint) -> Delivery {
        let counter = fingerprint.counter
        highest = max(highest, counter)
        if let previous = previousNext, highest + Self.stragglerMargin >= previous { previousNext = nil }
        if held.isEmpty, counter == next {
            advance(past: timed)
            return Delivery(verdict: .inOrder, ready: [(timed, false)])
        }
        let position = held.firstIndex { ($0.event.counter ?? 0) > counter } ?? held.endIndex
        held.insert(timed, at: position)
        remember(fingerprint)
        var ready: [(event: TimedEvent, wasHeld: Bool)] = []
        while let first = held.first, first.event.counter == next {
            held.removeFirst()
            advance(past: first)
            ready.append((first, first.event.counter != counter))
        }
        let appliedAtOnce = ready.contains { $0.event.event.counter == counter }
        return Delivery(verdict: appliedAtOnce ? .inOrder : .held, ready: ready)
    }

    private mutating func advance(past timed: TimedEvent) {
        guard let counter = timed.event.counter else { return }
        remember(Fingerprint(timed.event, counter: counter))
        next = counter + 1
        if let epoch = timed.event.epoch { lastEpoch = max(lastEpoch ?? epoch, epoch) }
    }

    private func isDuplicate(_ fingerprint: Fingerprint) -> Bool {
        if recent[slot(fingerprint.counter)] == fingerprint { return true }
        return held.contains { $0.event.counter == fingerprint.counter && Fingerprint($0.event, counter: fingerprint.counter) == fingerprint }
    }

    private mutating func remember(_ fingerprint: Fingerprint) {
        recent[slot(fingerprint.counter)] = fingerprint
    }

    private func slot(_ counter: Int) -> Int { counter % Self.recentCapacity }

    private mutating func markSkipped(_ counters: Range<Int>) {
        // Only the recent past can still arrive; bound the set for a counter that jumped far.
        skipped.formUnion(counters.suffix(Self.recentCapacity))
        if skipped.count > 4 * Self.recentCapacity {
            let floor = counters.upperBound - Self.recentCapacity
            skipped = skipped.filter { $0 >= floor }
        }
    }

    /// A counter below the expected one is a new page load when it is one of a page's first
    /// pushes (or a logged_in) and not older than what this sequence already applied.
    private func startsNewPage(_ event: AgentEvent, counter: Int) -> Bool {
        guard counter <= Self.pageStartCounters || event.event == .known(.loggedIn) else { return false }
        if let epoch = event.epoch, let lastEpoch, epoch < lastEpoch { return false }
        return true
    }
}
