/// Every way VICIdial ends an agent's part of a call (docs/events.md, "Flows"): the first of these pushes
/// ends TALK, and only the first two send `agent_hangup`.
enum CallEnding {
    /// agent_hangup, then dispo_screen_open on the screen's next tick.
    case agentHangup
    /// dispo_screen_open, then agent_hangup in the same second.
    case dispoScreenFirst
    /// transfer_blind (a number, or "vmail" for a voicemail drop), then dispo_screen_open; no agent_hangup.
    case transferBlind
    /// transfer_local_closer to an in-group, then dispo_screen_open; no agent_hangup.
    case transferLocalCloser
    /// 3way_agent_leave (the customer stays with the third party), then dispo_screen_open; no agent_hangup.
    case threeWayLeave
    /// The customer hangs up (call_dead), the "customer has gone" screen opens, then dispo_screen_open; no agent_hangup.
    case customerGone
    /// A hotkey disposition: dispo_set straight from the call.
    case hotkey

    static let weights: [(CallEnding, weight: Int)] = [
        (.agentHangup, 30), (.dispoScreenFirst, 12), (.transferBlind, 6), (.transferLocalCloser, 6),
        (.threeWayLeave, 4), (.customerGone, 12), (.hotkey, 10),
    ]

    /// Whether the agent's end of the call hands the customer on (dispositioned XFER).
    var isTransfer: Bool { self == .transferBlind || self == .transferLocalCloser || self == .threeWayLeave }

    /// Whether the customer may hang up first (call_dead), leaving the agent on a dead line until this ending.
    var allowsDeadLine: Bool { self == .agentHangup || self == .dispoScreenFirst || self == .hotkey }

    /// Dispositions of calls that were not transferred, by how often agents pick them.
    static let statuses: [(String, weight: Int)] = [
        ("SALE", 10), ("NI", 24), ("DNC", 4), ("A", 8), ("B", 4), ("CALLBK", 8), ("N", 8), ("DROP", 3),
    ]
}
