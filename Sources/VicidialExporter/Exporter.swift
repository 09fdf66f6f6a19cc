import AgentEvents
import AgentLedger
import Exposition
import HTTPServer
import Logging
import ProcessMetrics
import Synchronization

/// The exporter's request handling: routes, the event endpoint, the metrics endpoint.
/// Everything here runs on the HTTP server's threads; state lives in `LedgerStore` and
/// `SelfMetrics`, both lock-protected.
public final class Exporter: Sendable {
    public let configuration: ExporterConfiguration
    public let store: LedgerStore
    public let selfMetrics = SelfMetrics()
    /// What the HTTP server did without the handler: connections it closed, answers it gave.
    public let httpStatistics: HTTPServerStatistics
    /// Basic auth and extra headers from `--web.config.file`; lets everything through without one.
    public let access: WebAccess
    private let decoder: EventDecoder
    private let clock: any LedgerClock
    private let logger: Logger
    private let readProcessStats: @Sendable () -> ProcessStats?
    private let ready = Atomic<Bool>(false)
    private let scrapeBuffers = ScrapeBuffers()
    /// The bound address the landing page shows; nil until the server listens.
    private let listenAddress = Mutex<ListenHostPort?>(nil)
    /// VICIdial's database, when `--vicidial.db-dsn` is set (`enrich(from:)`).
    private let enrichment = Mutex<(any EnrichmentSource)?>(nil)
    private let rejectionLog = Mutex(RejectionLogLimiter())

    public init(
        configuration: ExporterConfiguration,
        clock: any LedgerClock = SystemClock(),
        logger: Logger = Logger(label: "vicidial-exporter"),
        httpStatistics: HTTPServerStatistics = HTTPServerStatistics(),
        access: WebAccess = WebAccess(),
        recovering: Bool = false,
        readProcessStats: @escaping @Sendable () -> ProcessStats? = { ProcessStatsReader.read() }
    ) {
        self.httpStatistics = httpStatistics
        self.access = access
        self.configuration = configuration
        self.store = LedgerStore(configuration: configuration.ledger, clock: clock, recovering: recovering)
        self.decoder = EventDecoder(limits: configuration.decoderLimits, token: configuration.ingestToken)
        self.clock = clock
        self.logger = logger
        self.readProcessStats = readProcessStats
    }

    /// The exporter has started (its journal replayed): /-/ready answers 200 from here on while
    /// the ledger runs and its storage works.
    public func markReady() { ready.store(true, ordering: .releasing) }

    /// Scrapes render what `enrichment` last read from VICIdial's database from now on.
    public func enrich(from enrichment: any EnrichmentSource) { self.enrichment.withLock { $0 = enrichment } }

    /// The server listens on `address` (its port as bound, so `:0` shows the port the kernel chose).
    public func listening(on address: ListenHostPort) { listenAddress.withLock { $0 = address } }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let route = Route(path: request.path, telemetryPath: configuration.telemetryPath)
        var response: HTTPResponse
        let policy = access.policy(for: request)
        if policy == nil {
            response = .text(500, "internal error: this connection has no web config to be served under\n")
        } else if route != .event, let policy, let refusal = access.refusal(for: request, under: policy) {
            response = refusal // every route but /event, unknown paths too
        } else if let route {
            response = respond(to: request, on: route)
        } else {
            response = .text(404, "not found: \(configuration.telemetryPath) has the metrics, /event takes agent events\n")
        }
        response.headers += policy?.headers ?? []
        selfMetrics.requestServed(route: route?.label(telemetryPath: configuration.telemetryPath) ?? Route.otherLabel, code: response.status)
        return response
    }

    private func respond(to request: HTTPRequest, on route: Route) -> HTTPResponse {
        guard route.allowedMethods.contains(request.method) else {
            let allowed = route.allowedMethods.joined(separator: ", ")
            return .text(405, "method \(request.method) not allowed here; use \(allowed)\n", headers: [("Allow", allowed)])
        }
        switch route {
        case .event: return ingest(request)
        case .metrics: return metrics(request)
        case .landing:
            return HTTPResponse(
                status: 200, headers: [("Content-Type", "text/html; charset=utf-8")],
                body: Array(LandingPage.html(telemetryPath: configuration.telemetryPath, listening: listenAddress.withLock { $0 }).utf8))
        case .healthy: return .text(200, "Healthy\n")
        case .ready:
            return readiness()
        }
    }

    private func ingest(_ request: HTTPRequest) -> HTTPResponse {
        selfMetrics.eventReceived()
        if let allowed = configuration.allowedSources {
            let client = clientAddress(of: request)
            guard let client, allowed.containsAddress(client) else {
                return reject(
                    SelfMetrics.ExtraRejection.forbiddenSource, status: 403,
                    "source address \(Echo.text(client ?? "unknown")) may not push events: it is not in --ingest.allowed-sources", from: request)
            }
        }
        if request.bodyTooLarge {
            return reject(
                SelfMetrics.ExtraRejection.bodyTooLarge, status: 413,
                "request body larger than \(configuration.maxBodyBytes) bytes: an agent event is a few hundred bytes; check what is posting here",
                from: request)
        }
        let authorization = request.headers["authorization"]
        let decoded =
            request.method == "POST"
            ? decoder.decode(
                body: request.body, contentType: request.headers["content-type"], query: request.query,
                authorization: authorization)
            : decoder.decode(query: request.query, authorization: authorization)
        let event: AgentEvent
        switch decoded {
        case .success(let decodedEvent):
            event = decodedEvent
        case .failure(let rejection):
            // RFC 9110: a 401 names the scheme that would be accepted.
            let challenge = rejection == .unauthorized ? [(name: "WWW-Authenticate", value: "Bearer")] : []
            return reject(rejection.reason, status: rejection.status, rejection.message, from: request, headers: challenge)
        }
        let result: AgentLedger.IngestResult
        switch store.ingest(event) {
        case .taken(let taken):
            result = taken
        case .notRunning(let phase):
            return reject(
                SelfMetrics.ExtraRejection.notReady, status: 503,
                phase == .recovering ? Self.recoveringMessage : "shutting down: event not taken", from: request)
        case .storageFailed(let error):
            return reject(
                SelfMetrics.ExtraRejection.storageUnavailable, status: 503, "storage failing, event not stored: \(error)", from: request)
        case .syncFailed(let error):
            return reject(
                SelfMetrics.ExtraRejection.storageUnavailable, status: 503,
                "storage failing, event taken but not synced to disk (a power cut may lose it): \(error)", from: request)
        }
        if let name = result.newUnknownEventName {
            logger.warning(
                "unknown event name, counted under its own name (newer VICIdial?)",
                metadata: ["event": "\(name)", "user": "\(event.user)"])
        }
        switch result.outcome {
        case .applied: return .text(200, "accepted\n")
        case .held: return .text(200, heldAnswer(result.holdReason ?? .earlierCounter))
        case .late: return .text(200, "accepted late: counted, agent state unchanged\n")
        case .duplicate: return .text(200, "duplicate, ignored\n")
        case .refusedTooManyAgents:
            return reject(
                SelfMetrics.ExtraRejection.tooManyAgents, status: 429,
                "too many agents tracked (limit \(configuration.ledger.maxAgents)): raise --agent.max-agents", from: request)
        }
    }

    /// What a held push is told: it is taken, when it will count, and why it waits.
    private func heldAnswer(_ reason: AgentLedger.HoldReason) -> String {
        let window = configuration.ledger.reorderWindow
        let within = window == window.rounded() ? "\(Int(window))s" : "\(window)s"
        return switch reason {
        case .pageStart:
            "accepted, applied within \(within): waiting for this page's first counters (a new or reloaded agent screen's first pushes often overtake each other)\n"
        case .earlierCounter: "accepted, applied within \(within): waiting for the earlier counter it overtook\n"
        case .pageSwitch: "accepted, applied within \(within): waiting for the last pushes of the agent screen's page before it was reloaded\n"
        }
    }

    static let recoveringMessage = "starting: replaying the journal, not taking events yet"

    /// 200 once started, while the ledger runs and its journal works; else 503 saying why.
    private func readiness() -> HTTPResponse {
        guard ready.load(ordering: .acquiring) else { return .text(503, "Not ready\n") }
        switch store.phase {
        case .recovering: return .text(503, "Not ready: \(Self.recoveringMessage)\n")
        case .stopped: return .text(503, "Not ready: shutting down\n")
        case .running: break
        }
        if let fault = store.persistence?.journal.statistics.fault {
            return .text(503, "Not ready: storage failing: \(fault)\n")
        }
        return .text(200, "Ready\n")
    }

    private func reject(
        _ reason: String, status: Int, _ message: String, from request: HTTPRequest,
        headers: [(name: String, value: String)] = []
    ) -> HTTPResponse {
        selfMetrics.eventRejected(reason: reason)
        // The browser's address behind a trusted proxy, as the allowlist sees it.
        let client = clientAddress(of: request) ?? "unknown"
        logger.debug("event rejected", metadata: ["reason": "\(reason)", "detail": "\(message)", "client": "\(client)"])
        log(rejectionLog.withLock { $0.rejected(reason: reason, detail: message, client: client, at: clock.now()) })
        return .text(status, message + "\n", headers: headers)
    }

    /// The client's address: the peer, or behind a trusted proxy the rightmost address of
    /// `X-Forwarded-For` that is not one. Repeated X-Forwarded-For fields are one list (RFC
    /// 9110), so the last hop is the last field's last entry, whichever field came first.
    private func clientAddress(of request: HTTPRequest) -> String? {
        let forwarded = request.headers.values(for: "x-forwarded-for")
        return ClientAddress.resolve(
            peer: request.remoteAddress, forwardedFor: forwarded.isEmpty ? nil : forwarded.joined(separator: ","),
            trustedProxies: configuration.trustedProxies)
    }

    /// Rejections at warn, as `RejectionLogLimiter` lets them through.
    private func log(_ lines: [RejectionLogLimiter.Line]) {
        for line in lines {
            switch line {
            case .first(let reason, let detail, let client):
                logger.warning(
                    "event rejected; more of this reason within a minute are only counted, in a summary",
                    metadata: ["reason": "\(reason)", "detail": "\(detail)", "client": "\(client)"])
            case .summary(let counts, let seconds):
                var metadata: Logger.Metadata = ["seconds": "\(Int(seconds.rounded()))"]
                for count in counts { metadata[count.reason] = "\(count.count)" }
                logger.warning("events rejected, not logged one by one (counts by reason)", metadata: metadata)
            }
        }
    }

    private func metrics(_ request: HTTPRequest) -> HTTPResponse {
        let started = clock.now()
        // A summary of rejections falls due here too, when no rejection has come since.
        log(rejectionLog.withLock { $0.due(at: started) })
        let format = ExpositionFormat.negotiate(accept: request.headers["accept"])
        guard let snapshot = store.snapshot() else { return .text(503, Self.recoveringMessage + "\n") }
        var buffers = scrapeBuffers.take()
        MetricsPage.render(
            snapshot, counts: selfMetrics.current, http: httpStatistics.current, web: access.status,
            storage: store.persistence.map(StorageStatus.init), enrichment: enrichment.withLock { $0 }?.current,
            process: readProcessStats(),
            format: format, into: &buffers)
        let body = scrapeBuffers.lend(buffers)
        selfMetrics.scrapeRendered(durationSeconds: clock.now() - started, sizeBytes: body.count)
        ScrapeMemory.trim()  // on the scrape's own thread, outside every lock
        return HTTPResponse(status: 200, headers: [("Content-Type", format.contentType)], lentBody: body).encoded(for: request)
    }
}
