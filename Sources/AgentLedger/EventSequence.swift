/// Puts one agent's events back into the order the agent screen fired them.
///
/// The screen numbers its pushes with `counter` (0 at page load, +1 per push), but the pushes
/// are independent XHRs and overtake each other. An event ahead of a gap is held until the gap
/// fills or it has waited `window` seconds; an exact repeat is a duplicate; an event whose place
/// was already given up is late.
///
/// A page load restarts the counter. A low counter (or a `logged_in`) below the expected one,
/// not older than the page's last epoch, announces a new page; its events wait one window in
/// `nextPage`, so the old page's last pushes (state_paused, logged_out CLOSE), which can arrive
/// after the new page's first ones, are still applied first. After the switch the new page's
/// events are ordered from counter 0, and stragglers of the old page are late.
struct EventSequence: Sendable, Codable, Equatable {
    enum Verdict: Equatable {
        /// Applied at once, in order (or it carries no counter).
        case inOrder
        /// Waiting for an earlier counter or for the page switch.
        case held
        case duplicate
        /// Its place in the sequence was given up: count it, but it must not move the state.
        case late
    }

    struct Delivery {
        var verdict: Verdict
        /// Events to apply now, in order; `wasHeld` marks those that waited.
        var ready: [(event: TimedEvent, wasHeld: Bool)]
    }

    /// A page load's first pushes (in-group/territory screens, then logged_in) have counters up to about this.
    static let pageStartCounters = 8
    /// The most events a newer page may have waiting; one more switches to it at once.
    static let maxPendingPageEvents = PageSequence.maxHeld

    private var page = PageSequence()
    private var nextPage: PendingPage?
    /// Where the page before the last switch stood, to recognise its stragglers.
    private var previousPage: PageSequence.Position?

    /// Events of a newer page load, received while the current page may still deliver its last pushes.
    private struct PendingPage: Sendable, Codable, Equatable {
        var since: Double
        var events: [TimedEvent] = []
        var highest: Int { events.last?.event.counter ?? 0 }
        var firstEpoch: Int64? { events.compactMap(\.event.epoch).min() }

        mutating func insert(_ timed: TimedEvent) {
            let counter = timed.event.counter ?? 0
            let position = events.firstIndex { ($0.event.counter ?? 0) > counter } ?? events.endIndex
            events.insert(timed, at: position)
        }
    }

    var isHolding: Bool { !page.held.isEmpty || nextPage != nil }

    /// What the waiting events wait for; nil when nothing waits.
    var holdReason: AgentLedger.HoldReason? {
        if nextPage != nil { return .pageSwitch }
        guard !page.held.isEmpty else { return nil }
        return (page.next ?? 0) <= Self.pageStartCounters ? .pageStart : .earlierCounter
    }

    /// Events waiting: held for a gap, or of a newer page.
    var heldCount: Int { page.held.count + (nextPage?.events.count ?? 0) }

    /// When `release(at:window:)` will next release something (receive clock); nil when nothing waits.
    func releaseDeadline(window: Double) -> Double? {
        let held = page.releaseDeadline(window: window)
        let pending = nextPage.map { $0.since + window }
        guard let held else { return pending }
        guard let pending else { return held }
        return min(held, pending)
    }

    mutating func receive(_ timed: TimedEvent, window: Double) -> Delivery {
        guard let counter = timed.event.counter else {
            return Delivery(verdict: .inOrder, ready: [(timed, false)])
        }
        if page.isDuplicate(timed) || nextPage?.events.contains(where: timed.sameEvent) == true {
            return Delivery(verdict: .duplicate, ready: [])
        }
        if let pending = nextPage {
            if page.position.isStraggler(timed.event, newPageHighest: pending.highest, newPageFirstEpoch: pending.firstEpoch) {
                if page.takeSkipped(counter) {
                    page.remember(timed)
                    return Delivery(verdict: .late, ready: [])
                }
                return page.enqueue(timed)
            }
            if pending.events.contains(where: { $0.event.counter == counter }) {
                // The new page's counter taken twice: the new page reloaded too (a burst of reloads,
                // two tabs). Switch to the new page now and let this push announce the newer one.
                guard page.startsNewPage(timed.event, counter: counter) else {
                    return Delivery(verdict: .late, ready: [])
                }
                let ready = switchPage(to: pending, at: timed.receivedAt, window: window, flushingGaps: true)
                nextPage = PendingPage(since: timed.receivedAt, events: [timed])
                return Delivery(verdict: .held, ready: ready.map { ($0, true) })
            }
            nextPage?.insert(timed)
            if let pending = nextPage, pending.events.count > Self.maxPendingPageEvents {
                let ready = switchPage(to: pending, at: timed.receivedAt, window: window, flushingGaps: false)
                return Delivery(verdict: .held, ready: ready.map { ($0, true) })
            }
            return Delivery(verdict: .held, ready: [])
        }
        if let previousPage,
            previousPage.isStraggler(timed.event, newPageHighest: page.highest, newPageFirstEpoch: page.firstEpoch)
        {
            page.remember(timed)
            return Delivery(verdict: .late, ready: [])
        }
        guard let expected = page.next else {
            page.start(at: counter <= Self.pageStartCounters ? 0 : counter)
            return page.enqueue(timed)
        }
        if counter >= expected { return page.enqueue(timed) }
        if page.takeSkipped(counter) {
            page.remember(timed)
            return Delivery(verdict: .late, ready: [])
        }
        guard page.startsNewPage(timed.event, counter: counter) else {
            page.remember(timed)
            return Delivery(verdict: .late, ready: [])
        }
        var pending = PendingPage(since: timed.receivedAt)
        pending.insert(timed)
        nextPage = pending
        return Delivery(verdict: .held, ready: [])
    }

    /// Releases what is due by `now` (receive clock): held events whose gap filled or whose wait
    /// reached `window`, and a new page whose announcement is a window old.
    mutating func release(at now: Double, window: Double) -> [TimedEvent] {
        var ready = page.releaseExpired(at: now, window: window)
        if let pending = nextPage, pending.since + window <= now {
            ready += switchPage(to: pending, at: now, window: window, flushingGaps: false)
        }
        if let previous = previousPage, !previous.canStillDeliver(newPageHighest: page.highest) {
            previousPage = nil
        }
        return ready
    }

    /// Makes `pending` the current page: the old page's held events go first, then the new page's
    /// in counter order from 0. Gaps left in the new page wait out their window, or are skipped at
    /// once when `flushingGaps` (the new page is itself being replaced).
    private mutating func switchPage(
        to pending: PendingPage, at now: Double, window: Double, flushingGaps: Bool
    ) -> [TimedEvent] {
        var ready = page.held
        previousPage = page.position
        page = PageSequence()
        page.start(at: 0)
        nextPage = nil
        for timed in pending.events {
            ready += page.enqueue(timed).ready.map(\.event)
        }
        ready += page.releaseExpired(at: flushingGaps ? .infinity : now, window: window)
        return ready
    }
}

extension TimedEvent {
    /// Matches another arrival of the same push (duplicate detection).
    fileprivate func sameEvent(_ other: TimedEvent) -> Bool {
        event.fingerprint == other.event.fingerprint
    }
}
