/// Tunables of the ledger; all durations in seconds.
public struct LedgerConfiguration: Sendable, Codable, Equatable {
    /// How long an event that arrived ahead of a counter gap waits for the gap to fill.
    public var reorderWindow: Double
    /// An `epoch` further than this from the receive time is distrusted (wrong server clock,
    /// replayed event) and the receive time is used instead.
    public var maxClockSkew: Double
    /// A logged-in agent with no event for this long is closed out (the browser died without a
    /// logout). Paused agents are silent, so this is hours, not minutes.
    public var sessionTimeout: Double
    /// An agent with no event for this long is forgotten and its series disappear; 0 keeps agents forever.
    public var expireAfter: Double
    /// New users beyond this many tracked agents are refused (protects memory and series count).
    public var maxAgents: Int
    /// Distinct unknown event names, across all agents, counted under their own label; later
    /// ones count as `other`.
    public var maxUnknownEventNames: Int
    /// Distinct disposition statuses, across all agents, counted under their own label; later
    /// ones count as `other`. VICIdial's statuses are per system, a center uses a few dozen.
    public var maxStatusValues: Int
    /// Whether closed pauses wait for pause codes from VICIdial's database (`learnPauseCodes`);
    /// on only when enrichment runs, so without it nothing is kept for them.
    public var tracksPauseCodes: Bool
    /// How long a closed pause waits for a poll of the database before its seconds go to the
    /// codes known by then (`unknown` with none).
    public var pauseCodeWait: Double

    public init(
        reorderWindow: Double = 1,
        maxClockSkew: Double = 3600,
        sessionTimeout: Double = 12 * 3600,
        expireAfter: Double = 7 * 86_400,
        maxAgents: Int = 10_000,
        maxUnknownEventNames: Int = 64,
        maxStatusValues: Int = 256,
        tracksPauseCodes: Bool = false,
        pauseCodeWait: Double = 300
    ) {
        self.reorderWindow = reorderWindow
        self.maxClockSkew = maxClockSkew
        self.sessionTimeout = sessionTimeout
        self.expireAfter = expireAfter
        self.maxAgents = maxAgents
        self.maxUnknownEventNames = maxUnknownEventNames
        self.maxStatusValues = maxStatusValues
        self.tracksPauseCodes = tracksPauseCodes
        self.pauseCodeWait = pauseCodeWait
    }
}

extension LedgerConfiguration {
    private enum CodingKeys: String, CodingKey {
        case reorderWindow, maxClockSkew, sessionTimeout, expireAfter, maxAgents, maxUnknownEventNames, maxStatusValues
        case tracksPauseCodes, pauseCodeWait
    }

    /// Snapshots from before pause codes lack their two settings (a restored ledger takes the
    /// running configuration anyway).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            reorderWindow: try container.decode(Double.self, forKey: .reorderWindow),
            maxClockSkew: try container.decode(Double.self, forKey: .maxClockSkew),
            sessionTimeout: try container.decode(Double.self, forKey: .sessionTimeout),
            expireAfter: try container.decode(Double.self, forKey: .expireAfter),
            maxAgents: try container.decode(Int.self, forKey: .maxAgents),
            maxUnknownEventNames: try container.decode(Int.self, forKey: .maxUnknownEventNames),
            maxStatusValues: try container.decode(Int.self, forKey: .maxStatusValues),
            tracksPauseCodes: try container.decodeIfPresent(Bool.self, forKey: .tracksPauseCodes) ?? false,
            pauseCodeWait: try container.decodeIfPresent(Double.self, forKey: .pauseCodeWait) ?? 300)
    }
}
