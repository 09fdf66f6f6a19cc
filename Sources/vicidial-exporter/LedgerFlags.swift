import AgentLedger
import ArgumentParser
import PrometheusDuration

/// The flags that change how the ledger accounts, shared by the exporter and `backfill` (which
/// must account exactly as the exporter that wrote the journal did). One option group for
/// both: a parent command parses the options it knows wherever they stand on the command
/// line, and a subcommand's option group of the same type gets the values it parsed.
struct LedgerFlags: ParsableArguments {
    // Each option's default comes from the type that holds the setting, so it is written once.
    private static let ledger = LedgerConfiguration()

    @Option(name: .customLong("agent.reorder-window"), help: ArgumentHelp("How long an event that overtook an earlier one (by counter) waits for it.", valueName: "duration"))
    var reorderWindow = DurationArgument(seconds: Self.ledger.reorderWindow)

    @Option(name: .customLong("agent.max-clock-skew"), help: ArgumentHelp("Trust an event's epoch only within this distance of the receive time; else use the receive time.", valueName: "duration"))
    var maxClockSkew = DurationArgument(seconds: Self.ledger.maxClockSkew)

    @Option(name: .customLong("agent.session-timeout"), help: ArgumentHelp("End a logged-in agent's session after this long without any event (browser died without logout). Paused agents are silent, keep it in hours.", valueName: "duration"))
    var sessionTimeout = DurationArgument(seconds: Self.ledger.sessionTimeout)

    @Option(name: .customLong("agent.expire-after"), help: ArgumentHelp("Forget an agent (its series disappear) after this long without events; 0s keeps agents forever.", valueName: "duration"))
    var expireAfter = DurationArgument(seconds: Self.ledger.expireAfter)

    @Option(name: .customLong("agent.max-agents"), help: "Refuse events of new users (HTTP 429) beyond this many tracked agents.")
    var maxAgents = Self.ledger.maxAgents

    @Option(name: .customLong("metrics.max-status-values"), help: "Distinct disposition statuses, across all agents, shown under their own label; later ones count as 'other'.")
    var maxStatusValues = Self.ledger.maxStatusValues

    @Option(name: .customLong("metrics.max-unknown-event-values"), help: "Distinct unknown event names, across all agents, shown under their own label; later ones count as 'other'.")
    var maxUnknownEventValues = Self.ledger.maxUnknownEventNames

    /// What is wrong with these flags, one line each. Not `validate()`: the parent command
    /// would then refuse them before `check` could list them with the rest.
    func problems() -> [String] {
        var problems: [String] = []
        if !(1...10_000_000).contains(maxAgents) {
            problems.append("--agent.max-agents must be between 1 and 10000000, got \(maxAgents)")
        }
        if maxStatusValues < 0 || maxUnknownEventValues < 0 {
            problems.append("--metrics.max-status-values and --metrics.max-unknown-event-values must not be negative")
        }
        return problems
    }

    /// The ledger's configuration; pause codes are tracked when the exporter reads VICIdial's database.
    func configuration(tracksPauseCodes: Bool) -> LedgerConfiguration {
        LedgerConfiguration(
            reorderWindow: reorderWindow.seconds, maxClockSkew: maxClockSkew.seconds, sessionTimeout: sessionTimeout.seconds,
            expireAfter: expireAfter.seconds, maxAgents: maxAgents, maxUnknownEventNames: maxUnknownEventValues,
            maxStatusValues: maxStatusValues, tracksPauseCodes: tracksPauseCodes)
    }
}

/// `--storage.path`, shared by the exporter and `backfill` as `LedgerFlags` is.
struct StoragePathFlag: ParsableArguments {
    @Option(name: .customLong("storage.path"), help: "Directory for the journal and snapshots (relative to the working directory); every accepted event is written here before it is acknowledged, so a restart continues where it stopped. An empty value keeps everything in memory only.")
    var path = "data/"
}
