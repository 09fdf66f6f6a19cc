import Exposition

/// One agent in the ledger: its stream (ordering, clock) and its account (state machine,
/// totals), plus the bookkeeping that lets scrapes leave it alone.
struct TrackedAgent: Sendable, Equatable {
    let user: String
    /// `user`'s label value, escaped once for the exposition formats.
    let escapedUser: [UInt8]
    var stream: AgentStream
    var account: AgentAccount
    /// Pause seconds by pause code, and the closed pauses and database rows deciding them.
    var pauseCodes = PauseCodeBook()
    /// How many ledger advances this agent has been brought up to. Advances do not touch every
    /// agent; the accrual the latest one owes an agent it skipped is made when the agent is next
    /// touched (`AgentLedger.catchUp`), and shown meanwhile by `pendingAccrual`. A count, not a
    /// time: a second advance to the same time still owes an agent touched in between.
    var advancesSeen: UInt64

    init(user: String, receivedAt: Double, advancesSeen: UInt64) {
        self.user = user
        self.escapedUser = LabelValueEscaping.escaped(user)
        self.stream = AgentStream(receivedAt: receivedAt)
        self.account = AgentAccount()
        self.advancesSeen = advancesSeen
    }

    /// What an expired agent's slot holds until a new agent takes it (never in `AgentTable.View.order`).
    static let vacant = TrackedAgent(user: "", receivedAt: 0, advancesSeen: 0)

    var lastEventTime: Double? { stream.lastEventTime }

    /// Whether the state's open interval accrues at an advance: a logged-in agent not waiting
    /// for a missing push (which may end the state earlier than the advance would say).
    var accruesAtAdvance: Bool { account.state != nil && !stream.isHolding }

    /// The accrual an advance to `time` gives: whole seconds only, since a push stamped this
    /// second (epochs have 1 s resolution) must still fit in after what a scrape reported.
    func accrualMark(advancingTo time: Double) -> Double { stream.agentTime(at: time).rounded(.down) }

    /// The seconds the ledger's latest advance (the `advances`th, to `time`) owes the current
    /// state, when this agent has not been brought up to it yet.
    func pendingAccrual(advances: UInt64, advancedTo time: Double) -> Double {
        guard advancesSeen < advances, accruesAtAdvance else { return 0 }
        return account.pendingAccrual(to: accrualMark(advancingTo: time))
    }
}

extension TrackedAgent: Codable {
    private enum CodingKeys: String, CodingKey {
        case user, advancesSeen, pauseCodes
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        user = try container.decode(String.self, forKey: .user)
        escapedUser = LabelValueEscaping.escaped(user)
        // Snapshots before lazy advances brought every agent up to every advance.
        advancesSeen = try container.decodeIfPresent(UInt64.self, forKey: .advancesSeen) ?? 0
        stream = try AgentStream(from: decoder)
        account = try AgentAccount(from: decoder)
        pauseCodes = try container.decodeIfPresent(PauseCodeBook.self, forKey: .pauseCodes) ?? PauseCodeBook()
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(advancesSeen, forKey: .advancesSeen)
        if !pauseCodes.isEmpty { try container.encode(pauseCodes, forKey: .pauseCodes) }
        try stream.encode(to: encoder)
        try account.encode(to: encoder)
    }
}
