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
    /// `--ingest.token-file`: every push must carry it; nil accepts pushes without a token.
    public var ingestToken: IngestToken?
    /// `--ingest.allowed-sources`: only these client addresses may push; nil allows any.
    public var allowedSources: [AddressRange]?
    /// `--web.trusted-proxies`: peers whose `X-Forwarded-For` names the client.
    public var trustedProxies: [AddressRange]

    public init(
        telemetryPath: String = "/metrics",
        maxBodyBytes: Int = 65_536,
        ledger: LedgerConfiguration = LedgerConfiguration(),
        decoderLimits: EventDecoder.Limits = EventDecoder.Limits(),
        ingestToken: IngestToken? = nil,
        allowedSources: [AddressRange]? = nil,
        trustedProxies: [AddressRange] = []
    ) {
        self.telemetryPath = telemetryPath
        self.maxBodyBytes = maxBodyBytes
        self.ledger = ledger
        self.decoderLimits = decoderLimits
        self.ingestToken = ingestToken
        self.allowedSources = allowedSources
        self.trustedProxies = trustedProxies
    }
}
