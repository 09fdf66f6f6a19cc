import HTTPServer
import ProcessMetrics
import VicidialExporter

/// An exporter driven through `handle` with a manual clock and fixed process stats, plus the
/// request builders and response readers the tests share.
struct ExporterHarness {
    /// Every scripted time is an offset in seconds from here (2025-11-24T16:00:00Z).
    static let start: Int64 = 1_764_000_000

    static let processStats = ProcessStats(
        cpuSecondsTotal: 1.25, residentMemoryBytes: 8_388_608, virtualMemoryBytes: 268_435_456,
        startTimeSeconds: 1_763_999_000, openFileDescriptors: 12, maxFileDescriptors: 1024, threads: 4)

    static let screenContentType = "application/x-www-form-urlencoded; charset=UTF-8"

    let clock: ManualClock
    let exporter: Exporter

    /// With `recovering`, the exporter waits for `exporter.store.resume` as at a start with storage.
    init(configuration: ExporterConfiguration = ExporterConfiguration(), recovering: Bool = false) {
        clock = ManualClock(Double(Self.start))
        exporter = Exporter(
            configuration: configuration, clock: clock, recovering: recovering, readProcessStats: { Self.processStats })
    }

    /// Sets the clock to `second` after `start`.
    func at(_ second: Double) { clock.set(Double(Self.start) + second) }

    func get(_ path: String, query: String? = nil, headers: [(String, String)] = []) -> HTTPResponse {
        exporter.handle(HTTPRequest(method: "GET", path: path, query: query, headers: HTTPHeaders(headers)))
    }

    func request(_ method: String, _ path: String) -> HTTPResponse {
        exporter.handle(HTTPRequest(method: method, path: path))
    }

    func post(_ body: String, contentType: String? = screenContentType, query: String? = nil) -> HTTPResponse {
        let headers = contentType.map { [("Content-Type", $0)] } ?? []
        return exporter.handle(
            HTTPRequest(method: "POST", path: "/event", query: query, headers: HTTPHeaders(headers), body: Array(body.utf8)))
    }

    /// What the agent screen pushes for one event at `second`, received at that second.
    @discardableResult
    func push(
        _ event: String, _ message: String = "", counter: Int, at second: Double, epoch: Double? = nil, user: String = "6666"
    ) -> HTTPResponse {
        at(second)
        let epochSecond = Self.start + Int64(epoch ?? second)
        return post(
            "user=\(user)&event=\(event)&message=\(message)&lead_id=&counter=\(counter)&epoch=\(epochSecond)&agent_log_id=")
    }

    /// GET /metrics at `second` (when given).
    func scrape(at second: Double? = nil, accept: String? = nil) -> HTTPResponse {
        if let second { at(second) }
        return get(exporter.configuration.telemetryPath, headers: accept.map { [("Accept", $0)] } ?? [])
    }

    /// The scrape's sample lines (no comments).
    func samples(at second: Double? = nil) -> [String] {
        scrape(at: second).text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }
}

extension HTTPResponse {
    var text: String { String(decoding: sentBody, as: UTF8.self) }

    /// The first value of header `name` (exact case), nil when absent.
    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

extension [String] {
    /// The lines of series `name` (the name followed by `{` or a space).
    func series(_ name: String) -> [String] {
        filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
    }

    /// The lines of series `name` whose labels include `user="<user>"`.
    func series(_ name: String, user: String) -> [String] {
        series(name).filter { $0.contains("{user=\"\(user)\"") }
    }
}
