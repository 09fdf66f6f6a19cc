import AgentEvents
import AgentLedger

/// What the exporter's HTTP handling needs to know; the listener itself is configured separately.
public struct ExporterConfiguration: Sendable {
    /// Where Prometheus scrapes, `/metrics` by default.
    public var telemetryPath: String
    /// The largest accepted request body; larger ones get 413.
    public var maxBodyBytes: Int
    public var ledger: LedgerConfiguration
    public var decoderLimits: EventDecoder.Limits

    public init(
        telemetryPath: String = "/metrics",
        maxBodyBytes: Int = 65_536,
        ledger: LedgerConfiguration = LedgerConfiguration(),
        decoderLimits: EventDecoder.Limits = EventDecoder.Limits()
    ) {
        self.telemetryPath = telemetryPath
        self.maxBodyBytes = maxBodyBytes
        self.ledger = ledger
        self.decoderLimits = decoderLimits
    }
}
