/// The ledger's own counters, exposed as `vicidial_exporter_*` self-metrics.
public struct LedgerStatistics: Sendable, Codable, Equatable {
    /// Events taken in (applied, held or late); duplicates and refusals excluded.
    public var accepted: UInt64 = 0
    public var duplicates: UInt64 = 0
    /// Events that waited for an earlier counter before being applied.
    public var reordered: UInt64 = 0
    /// Events that came after their place was given up: counted, state untouched.
    public var late: UInt64 = 0
    public var sessionsClosedOut: UInt64 = 0
    public var agentsExpired: UInt64 = 0
    public var labelOverflows = LabelOverflows()

    /// Events whose label value was folded into `other` because its cap was reached.
    public struct LabelOverflows: Sendable, Codable, Equatable {
        /// dispo_set statuses beyond `maxStatusValues`.
        public var status: UInt64 = 0
        /// Unknown event names beyond `maxUnknownEventNames`.
        public var unknownEvent: UInt64 = 0
        /// Pause-code attributions beyond `maxStatusValues` distinct codes.
        public var pauseCode: UInt64 = 0

        public init() {}

        private enum CodingKeys: String, CodingKey { case status, unknownEvent, pauseCode }

        /// Snapshots from before pause codes have no `pauseCode`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(UInt64.self, forKey: .status)
            unknownEvent = try container.decode(UInt64.self, forKey: .unknownEvent)
            pauseCode = try container.decodeIfPresent(UInt64.self, forKey: .pauseCode) ?? 0
        }
    }

    public init() {}
}
