import AgentLedger
import ArgumentParser
import PrometheusDuration

/// The flags that change how the ledger accounts, for `backfill`, which must account exactly
/// as the exporter that wrote the journal did: same names, types and defaults as the
/// exporter's own (`VicidialExporterCommand`), so the same values can be passed to both.
struct LedgerFlags: ParsableArguments {
    private static let ledger = LedgerConfiguration()

    @Option(name: .customLong("agent.reorder-window"), help: ArgumentHelp("As given to the exporter: how long an event that overtook an earlier one waits for it.", valueName: "duration"))
    var reorderWindow = DurationArgument(seconds: Self.ledger.reorderWindow)

    @Option(name: .customLong("agent.max-clock-skew"), help: ArgumentHelp("As given to the exporter: trust an event's epoch only within this distance of the receive time.", valueName: "duration"))
    var maxClockSkew = DurationArgument(seconds: Self.ledger.maxClockSkew)

    @Option(name: .customLong("agent.session-timeout"), help: ArgumentHelp("As given to the exporter: end a session after this long without any event.", valueName: "duration"))
    var sessionTimeout = DurationArgument(seconds: Self.ledger.sessionTimeout)

    @Option(name: .customLong("agent.expire-after"), help: ArgumentHelp("As given to the exporter: forget an agent after this long without events; 0s keeps agents forever.", valueName: "duration"))
    var expireAfter = DurationArgument(seconds: Self.ledger.expireAfter)

    @Option(name: .customLong("agent.max-agents"), help: "As given to the exporter: most tracked agents.")
    var maxAgents = Self.ledger.maxAgents

    @Option(name: .customLong("metrics.max-status-values"), help: "As given to the exporter: distinct disposition statuses under their own label.")
    var maxStatusValues = Self.ledger.maxStatusValues

    @Option(name: .customLong("metrics.max-unknown-event-values"), help: "As given to the exporter: distinct unknown event names under their own label.")
    var maxUnknownEventValues = Self.ledger.maxUnknownEventNames

    @Flag(name: .customLong("vicidial.pause-codes"), help: "The exporter ran with --vicidial.db-dsn: closed pauses wait for the pause codes its polls journaled.")
    var pauseCodes = false

    func validate() throws {
        guard (1...10_000_000).contains(maxAgents) else { throw ValidationError("--agent.max-agents must be between 1 and 10000000, got \(maxAgents)") }
        guard maxStatusValues >= 0, maxUnknownEventValues >= 0 else {
            throw ValidationError("--metrics.max-status-values and --metrics.max-unknown-event-values must not be negative")
        }
    }

    var configuration: LedgerConfiguration {
        LedgerConfiguration(
            reorderWindow: reorderWindow.seconds, maxClockSkew: maxClockSkew.seconds, sessionTimeout: sessionTimeout.seconds,
            expireAfter: expireAfter.seconds, maxAgents: maxAgents, maxUnknownEventNames: maxUnknownEventValues,
            maxStatusValues: maxStatusValues, tracksPauseCodes: pauseCodes)
    }
}
