/// One `vicidial_agent_log` row as enrichment reads it: where a part of a pause begins and the
/// pause code VICIdial recorded for it.
///
/// VICIdial opens a row when a pause begins (`pause_epoch`), sets its `sub_status` when the
/// agent picks the first code of the pause, and, when the agent picks another code in the same
/// pause, opens a new row whose `pause_epoch` is the moment of the switch (docs/accounting.md,
/// "Pause codes").
public struct PauseCodeRow: Sendable, Codable, Equatable {
    /// `agent_log_id`, the row's key.
    public var agentLogID: UInt32
    /// `pause_epoch`: Unix time the row's pause began.
    public var pauseEpoch: Double
    /// `sub_status`: the pause code, empty when none was chosen (NULL or '').
    public var code: String

    public init(agentLogID: UInt32, pauseEpoch: Double, code: String) {
        self.agentLogID = agentLogID
        self.pauseEpoch = pauseEpoch
        self.code = code
    }
}
