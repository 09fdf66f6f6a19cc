import AgentLedger
import Foundation
import HTTPServer
import Logging
import ProcessMetrics
import Storage
import Synchronization
import VicidialDatabase
import VicidialExporter

/// A clock the scrape scenario sets by hand, so every event lands at a known second.
final class DashboardScrapeClock: LedgerClock {
    private let time: Mutex<Double>

    init(_ time: Double) { self.time = Mutex(time) }

    func now() -> Double { time.withLock { $0 } }

    func set(_ newTime: Double) { time.withLock { $0 = newTime } }
}

/// What VICIdial's database told the scenario's exporter (enrichment, `--vicidial.db-dsn`).
struct DashboardEnrichment: EnrichmentSource {
    var current: Enrichment.Status {
        var status = Enrichment.Status()
        status.up = true
        status.lastPollDurationSeconds = 0.004
        status.directory = AgentDirectory(
            users: ["1001": .init(fullName: "Ana", userGroup: "SALES"), "1002": .init(fullName: "Bo", userGroup: "SUPPORT")],
            liveAgents: ["1002": .init(campaign: "INB", status: "PAUSED", pauseCode: "BREAK", agentLogID: 602)])
        return status
    }
}

/// What a real exporter exposes: an `Exporter` driven through `handle`, with a day's worth of
/// events that make every family appear (a call with dead time, a disposition, a logout, an agent
/// still logged in, a rejected request, a duplicate; with enrichment, a pause on a pause code),
/// scraped twice so the last-scrape gauges exist.
enum DashboardScrape {
    struct Rendered: Sendable {
        /// What each request got, in order: "<query or path> -> <status>".
        let answers: [String]
        /// The second scrape's body, Prometheus text format.
        let body: String
    }

    /// 2025-11-24T16:00:00Z; events are offsets in seconds from here.
    static let start: Double = 1_764_000_000

    static let rendered: Rendered = render()

    private static func render() -> Rendered {
        let clock = DashboardScrapeClock(start)
        let stats = ProcessStats(
            cpuSecondsTotal: 2, residentMemoryBytes: 16_777_216, virtualMemoryBytes: 268_435_456,
            startTimeSeconds: start - 600, openFileDescriptors: 9, maxFileDescriptors: 1024, threads: 6)
        // A web config in force, so its reload series are exposed too.
        let access = WebAccess()
        access.loaded(at: start - 600)
        let exporter = Exporter(
            configuration: ExporterConfiguration(ledger: LedgerConfiguration(tracksPauseCodes: true)), clock: clock, access: access,
            recovering: true, readProcessStats: { stats })
        resumeWithStorage(exporter)
        exporter.enrich(from: DashboardEnrichment())
        var answers: [String] = []

        func get(_ path: String, _ query: String? = nil, at second: Double) -> HTTPResponse {
            clock.set(start + second)
            let response = exporter.handle(HTTPRequest(method: "GET", path: path, query: query, listenerContext: WebPolicy.open))
            answers.append("\(query ?? path) -> \(response.status)")
            return response
        }
        func push(_ user: String, _ event: String, _ message: String = "", counter: Int, at second: Double) {
            let epoch = Int64(start + second)
            _ = get("/event", "user=\(user)&event=\(event)&counter=\(counter)&epoch=\(epoch)&message=\(message)", at: second)
        }

        push("1001", "logged_in", counter: 0, at: 0)
        push("1001", "state_ready", counter: 1, at: 5)
        push("1001", "call_answered", counter: 2, at: 10)
        push("1001", "call_dead", counter: 3, at: 35)
        push("1001", "agent_hangup", counter: 4, at: 40)
        push("1001", "dispo_set", "SALE", counter: 5, at: 45)
        push("1001", "logged_out", "NORMAL", counter: 6, at: 60)
        push("1002", "logged_in", counter: 0, at: 61)
        push("1002", "state_paused", counter: 1, at: 62)
        push("1002", "state_paused", counter: 1, at: 62)  // a duplicate
        _ = get("/event", "event=logged_in&counter=0", at: 63)  // rejected: missing_user
        _ = get("/metrics", at: 100)
        // A poll finds 1002's pause on BREAK: the 38 s the pause has counted go to it.
        exporter.store.learnPauseCodes(
            ["1002": [PauseCodeRow(agentLogID: 602, pauseEpoch: start + 61, code: "BREAK")]], polledAt: start + 100)
        exporter.store.writeSnapshot()  // the snapshot gauges appear
        let body = get("/metrics", at: 101).sentBody
        return Rendered(answers: answers, body: String(decoding: body, as: UTF8.self))
    }

    /// Storage in a temporary directory, as the exporter runs by default, so the storage
    /// families are scraped too.
    private static func resumeWithStorage(_ exporter: Exporter) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-scrape-\(UUID().uuidString)").path
        do {
            let directory = try StorageDirectory(path: path)
            let (ledger, report) = try directory.recover(configuration: exporter.configuration.ledger)
            let journal = try directory.openJournal(after: report, policy: .never)
            exporter.store.resume(
                from: ledger,
                persistence: Persistence(
                    directory: directory, journal: journal, recovery: report, recoverySeconds: 0.01,
                    logger: Logger(label: "dashboard-scrape")))
        } catch {
            fatalError("cannot set up the scenario's storage in \(path): \(error)")
        }
    }

    /// The answers the scenario expects: every event accepted, the duplicate too (200), the request
    /// without a user refused.
    static let expectedStatuses: [Int] = Array(repeating: 200, count: 10) + [400, 200, 200]

    /// Sample names as they appear on sample lines: what PromQL selects (`_total`, `_bucket`, ...).
    static var sampleNames: Set<String> {
        Set(rendered.body.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
        })
    }

    /// Families from the `# TYPE` lines: the declared name and its type.
    static var families: [(name: String, type: String)] {
        rendered.body.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count == 4, words[0] == "#", words[1] == "TYPE" else { return nil }
            return (String(words[2]), String(words[3]))
        }
    }

    /// The names PromQL can use for a family: histograms and summaries by their `_bucket`, `_sum`,
    /// `_count` series (a summary also by its own name), everything else by the declared name.
    static func selectableNames(family name: String, type: String) -> [String] {
        switch type {
        case "histogram": [name + "_bucket", name + "_sum", name + "_count"]
        case "summary": [name, name + "_sum", name + "_count"]
        default: [name]
        }
    }

    /// The metric names of the README's table (the metric contract), as PromQL selects them: the
    /// scenario above must make each of them appear, or it would not be a fair check.
    static let contractNames: [String] = [
        "vicidial_agent_state_seconds_total", "vicidial_agent_talk_seconds_total", "vicidial_agent_calls_total",
        "vicidial_agent_dispositions_total", "vicidial_agent_logins_total", "vicidial_agent_logouts_total",
        "vicidial_agent_events_total", "vicidial_agent_state", "vicidial_agent_state_start_timestamp_seconds",
        "vicidial_agent_last_event_timestamp_seconds",
        "vicidial_agent_call_duration_seconds_bucket", "vicidial_agent_call_duration_seconds_sum",
        "vicidial_agent_call_duration_seconds_count",
        "vicidial_agent_pause_duration_seconds_bucket", "vicidial_agent_pause_duration_seconds_sum",
        "vicidial_agent_pause_duration_seconds_count",
        "vicidial_agent_dispo_duration_seconds_bucket", "vicidial_agent_dispo_duration_seconds_sum",
        "vicidial_agent_dispo_duration_seconds_count",
        "vicidial_exporter_events_received_total", "vicidial_exporter_events_accepted_total",
        "vicidial_exporter_events_rejected_total", "vicidial_exporter_events_duplicate_total",
        "vicidial_exporter_events_reordered_total", "vicidial_exporter_events_late_total",
        "vicidial_exporter_sessions_closed_out_total", "vicidial_exporter_agents_expired_total",
        "vicidial_exporter_agents_tracked", "vicidial_exporter_http_requests_total",
        "vicidial_exporter_last_scrape_duration_seconds", "vicidial_exporter_last_scrape_size_bytes",
        "vicidial_exporter_build_info",
        "vicidial_agent_info", "vicidial_agent_campaign_info", "vicidial_agent_pause_code_seconds_total",
        "vicidial_exporter_db_up", "vicidial_exporter_db_poll_duration_seconds", "vicidial_exporter_db_errors_total",
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
        "process_open_fds", "process_max_fds", "process_start_time_seconds", "process_threads",
    ]
}

/// The recording rules the dashboards may use (agreed names; RuleTests checks Grafana/prometheus/ defines them).
enum DashboardRecordingRules {
    static let names: [String] = [
        "user_state:vicidial_agent_state_seconds:rate5m",
        "state:vicidial_agent_state_seconds:rate5m",
        "user:vicidial_agent_occupancy:ratio_rate1h",
        ":vicidial_agent_occupancy:ratio_rate1h",
        "user:vicidial_agent_calls:rate1h",
        ":vicidial_agent_calls:rate5m",
        "user:vicidial_agent_handle_seconds_per_call:ratio_rate1h",
        ":vicidial_agent_handle_seconds_per_call:ratio_rate1h",
        "le:vicidial_agent_call_duration_seconds_bucket:rate5m",
        "state:vicidial_agent_state:sum",
        ":vicidial_agents_logged_in:sum",
        "status:vicidial_agent_dispositions:rate1h",
        "campaign_state:vicidial_agent_state:sum",
        "user_group_state:vicidial_agent_state:sum",
        "campaign:vicidial_agent_occupancy:ratio_rate1h",
        "user_group:vicidial_agent_occupancy:ratio_rate1h",
        "campaign:vicidial_agent_handle_seconds_per_call:ratio_rate1h",
        "user_group:vicidial_agent_handle_seconds_per_call:ratio_rate1h",
        "pause_code:vicidial_agent_pause_code_seconds:rate5m",
        "user_group_pause_code:vicidial_agent_pause_code_seconds:rate5m",
    ]
}

/// Series Prometheus makes itself for every target.
enum DashboardPrometheusBuiltins {
    static let names: Set<String> = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    ]
}
