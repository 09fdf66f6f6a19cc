/// One agent's pause seconds by pause code, and what deciding them still needs.
///
/// While a pause is open, each poll gives the seconds the pause state has counted to the rows
/// whose code is recorded (`takeOpen`). What is left when the pause closes waits in `pending`
/// until a poll of VICIdial's database that began after it closed (so the rows hold their final
/// codes) attributes it, or until the ledger gives up waiting; then its seconds go, split at the
/// rows' `pause_epoch`s, to each row's code. Seconds are only ever added: nothing shown under a
/// code is taken back (docs/accounting.md, "Pause codes").
struct PauseCodeBook: Sendable, Codable, Equatable {
    /// A closed pause, on the agent's clock, and when it closed on the receive clock.
    struct ClosedPause: Sendable, Codable, Equatable {
        var start: Double
        var end: Double
        var closedAt: Double
    }

    /// Rows of the open and pending pauses, by `pauseEpoch`.
    private(set) var rows: [PauseCodeRow] = []
    /// How far the open pause is attributed already (agent clock); nil when none is open or
    /// none of it is.
    private(set) var openAttributedUntil: Double?
    private(set) var pending: [ClosedPause] = []
    /// Seconds by code label (`PauseCodeLabel`).
    private(set) var seconds: [String: Double] = [:]

    var isEmpty: Bool { rows.isEmpty && pending.isEmpty && seconds.isEmpty && openAttributedUntil == nil }

    /// A pause the account closed: what of it the open attribution has not taken waits for a poll.
    mutating func closed(_ pause: ClosedPause) {
        var rest = pause
        rest.start = max(pause.start, openAttributedUntil ?? pause.start)
        openAttributedUntil = nil
        if rest.end > rest.start { pending.append(rest) }
    }

    /// Takes the open pause's seconds from where its attribution stopped to `until` (what the
    /// pause state has counted), as far as they fall in rows whose code is recorded: VICIdial
    /// never changes a row's code once set (another code opens a new row), so these parts are
    /// final. Stops at the first part without a row or a code; returns the parts taken.
    mutating func takeOpen(since start: Double, until: Double) -> [(row: PauseCodeRow?, seconds: Double)] {
        let from = max(start, openAttributedUntil ?? start)
        guard until > from else { return [] }
        var taken: [(row: PauseCodeRow?, seconds: Double)] = []
        var reached = from
        for part in Self.split(ClosedPause(start: from, end: until, closedAt: 0), by: rows) {
            guard let row = part.row, !row.code.isEmpty else { break }
            taken.append(part)
            reached += part.seconds
        }
        if reached > from { openAttributedUntil = reached }
        return taken
    }

    /// Takes rows read from the database; a row already known is replaced (its code may have
    /// been set since).
    mutating func learn(_ learned: [PauseCodeRow]) {
        for row in learned {
            if let index = rows.firstIndex(where: { $0.agentLogID == row.agentLogID }) {
                rows[index] = row
            } else {
                rows.append(row)
            }
        }
        rows.sort { ($0.pauseEpoch, $0.agentLogID) < ($1.pauseEpoch, $1.agentLogID) }
    }

    /// Takes the pending pauses that closed at or before `closedBy` (receive clock) and returns
    /// their parts, each with the row it falls in (`split`); the caller labels and `add`s them.
    mutating func takePending(closedBy: Double) -> [(row: PauseCodeRow?, seconds: Double)] {
        var parts: [(row: PauseCodeRow?, seconds: Double)] = []
        for pause in pending where pause.closedAt <= closedBy { parts += Self.split(pause, by: rows) }
        pending.removeAll { $0.closedAt <= closedBy }
        return parts
    }

    mutating func add(_ seconds: Double, to label: String) { self.seconds[label, default: 0] += seconds }

    /// When the oldest pending pause closed (receive clock).
    var oldestClosedAt: Double? { pending.map(\.closedAt).min() }

    /// Drops rows no pause needs any more: those that begin before the oldest pause still to be
    /// attributed or still open (`openSince`), but the last of them, which covers its start; all
    /// of them when there is no such pause (polls send a paused agent's rows again each time).
    mutating func prune(openSince: Double?) {
        guard let oldest = (pending.map(\.start) + [openSince].compactMap { $0 }).min() else {
            rows = []
            return
        }
        guard let covering = rows.lastIndex(where: { $0.pauseEpoch <= oldest }) else { return }
        rows.removeFirst(covering)
    }

    /// `pause` split at the `pauseEpoch`s of the rows that begin before it ends: each part goes
    /// to the row it falls in; the first part to the row covering the start (or, when the
    /// database's row begins a moment after the pushes' pause, to the first row). No row at all:
    /// one part, to no row.
    static func split(_ pause: ClosedPause, by rows: [PauseCodeRow]) -> [(row: PauseCodeRow?, seconds: Double)] {
        let duration = max(0, pause.end - pause.start)
        let before = rows.filter { $0.pauseEpoch < pause.end }
        guard !before.isEmpty else { return [(nil, duration)] }
        let first = before.lastIndex { $0.pauseEpoch <= pause.start } ?? 0
        var parts: [(row: PauseCodeRow?, seconds: Double)] = []
        var start = pause.start
        for index in first..<before.count {
            let end = index + 1 < before.count ? max(start, min(pause.end, before[index + 1].pauseEpoch)) : pause.end
            parts.append((before[index], end - start))
            start = end
        }
        return parts
    }
}
