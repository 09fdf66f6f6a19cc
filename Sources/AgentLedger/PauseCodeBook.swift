/// One agent's pause seconds by pause code, and what deciding them still needs.
///
/// A pause interval the account closed waits in `pending` until a poll of VICIdial's database
/// that began after it closed (so the rows hold their final codes) attributes it, or until the
/// ledger gives up waiting; then its seconds go, split at the rows' `pause_epoch`s, to each row's
/// code. Seconds are only ever added: nothing shown under a code is taken back.
struct PauseCodeBook: Sendable, Codable, Equatable {
    /// A closed pause, on the agent's clock, and when it closed on the receive clock.
    struct ClosedPause: Sendable, Codable, Equatable {
        var start: Double
        var end: Double
        var closedAt: Double
    }

    /// Rows of the open and pending pauses, by `pauseEpoch`.
    private(set) var rows: [PauseCodeRow] = []
    private(set) var pending: [ClosedPause] = []
    /// Seconds by code label (`PauseCodeLabel`).
    private(set) var seconds: [String: Double] = [:]

    var isEmpty: Bool { rows.isEmpty && pending.isEmpty && seconds.isEmpty }

    mutating func closed(_ pause: ClosedPause) { pending.append(pause) }

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
