import AgentLedger
import Exposition
import HTTPServer
import ProcessMetrics

/// `vicidial_exporter_*` and the standard `process_*` metrics.
extension ExpositionWriter {
    mutating func writeExporterMetrics(
        _ counts: SelfMetrics.Counts, http: HTTPServerStatistics.Counts, ledger: LedgerStatistics, agentsTracked: Int
    ) {
        family("vicidial_exporter_build", type: .info, help: "Version, git revision and branch of the exporter, and the Swift it was built with.")
        info(Labels(BuildInfo.labels))

        family("vicidial_exporter_events_received", type: .counter, help: "Requests to the event endpoint, accepted or not.")
        counter([:], Double(counts.eventsReceived))

        family("vicidial_exporter_events_accepted", type: .counter, help: "Events taken into the ledger (duplicates excluded).")
        counter([:], Double(ledger.accepted))

        family("vicidial_exporter_events_rejected", type: .counter, help: "Event requests refused with a 4xx, by reason.")
        for (reason, count) in counts.rejections.sorted(by: { $0.key < $1.key }) {
            counter(["reason": reason], Double(count))
        }

        family("vicidial_exporter_events_duplicate", type: .counter, help: "Exact repeats of an event already received, dropped.")
        counter([:], Double(ledger.duplicates))

        family(
            "vicidial_exporter_events_reordered", type: .counter,
            help: "Events held back and applied in counter order (they overtook an earlier push, waited for a page's first counters, or for a page switch).")
        counter([:], Double(ledger.reordered))

        family(
            "vicidial_exporter_events_late", type: .counter,
            help: "Events that came after the reorder window gave up their place: counted, but they did not change the agent's state.")
        counter([:], Double(ledger.late))

        family("vicidial_exporter_sessions_closed_out", type: .counter, help: "Agent sessions ended by --agent.session-timeout (no logout seen).")
        counter([:], Double(ledger.sessionsClosedOut))

        family("vicidial_exporter_agents_expired", type: .counter, help: "Agents forgotten after --agent.expire-after without events.")
        counter([:], Double(ledger.agentsExpired))

        family(
            "vicidial_exporter_label_overflow", type: .counter,
            help: "Events (and pause-code attributions) counted under the label value 'other' because the cap on distinct "
                + "values of that label (--metrics.max-status-values, --metrics.max-unknown-event-values) was reached.")
        counter(["label": "event"], Double(ledger.labelOverflows.unknownEvent))
        counter(["label": "status"], Double(ledger.labelOverflows.status))
        counter(["label": "pause_code"], Double(ledger.labelOverflows.pauseCode))

        family("vicidial_exporter_agents_tracked", type: .gauge, help: "Agents the ledger currently holds.")
        gauge([:], Double(agentsTracked))

        family(
            "vicidial_exporter_http_requests", type: .counter,
            help: "HTTP requests answered, by route and status code; route 'other' also holds the requests "
                + "libmicrohttpd refused by itself (malformed, oversized headers) before their path was known.")
        var requests = counts.requests
        for (code, count) in http.serverAnswers {
            requests[SelfMetrics.RequestKey(route: Route.otherLabel, code: code), default: 0] += count
        }
        for (key, count) in requests.sorted(by: { ($0.key.route, $0.key.code) < ($1.key.route, $1.key.code) }) {
            counter(["route": key.route, "code": String(key.code)], Double(count))
        }

        family("vicidial_exporter_http_connections", type: .gauge, help: "HTTP connections open.")
        gauge([:], Double(http.openConnections))

        family(
            "vicidial_exporter_http_connections_closed", type: .counter,
            help: "HTTP connections the exporter closed or refused by itself, by reason: idle_timeout (a kept-alive connection "
                + "unused for --web.read-timeout: normal), read_timeout (the request "
                + "did not arrive whole within --web.read-timeout), peer_closed, displaced (by a new connection past a "
                + "limit), limit and per_address_limit (refused: every connection busy).")
        for (reason, count) in http.connectionsClosed.sorted(by: { $0.key < $1.key }) {
            counter(["reason": reason], Double(count))
        }

        family("vicidial_exporter_last_scrape_duration_seconds", type: .gauge, help: "Seconds the previous scrape took to snapshot and render.")
        if let duration = counts.lastScrapeDurationSeconds { gauge([:], duration) }

        family("vicidial_exporter_last_scrape_size_bytes", type: .gauge, help: "Size of the previous scrape's body in bytes.")
        if let size = counts.lastScrapeSizeBytes { gauge([:], Double(size)) }
    }

    mutating func writeProcessMetrics(_ stats: ProcessStats) {
        family("process_cpu_seconds", type: .counter, help: "Total user and system CPU time spent in seconds.")
        counter([:], stats.cpuSecondsTotal)
        family("process_resident_memory_bytes", type: .gauge, help: "Resident memory size in bytes.")
        gauge([:], stats.residentMemoryBytes)
        family("process_virtual_memory_bytes", type: .gauge, help: "Virtual memory size in bytes.")
        gauge([:], stats.virtualMemoryBytes)
        family("process_start_time_seconds", type: .gauge, help: "Start time of the process since unix epoch in seconds.")
        gauge([:], stats.startTimeSeconds)
        family("process_open_fds", type: .gauge, help: "Number of open file descriptors.")
        gauge([:], stats.openFileDescriptors)
        family("process_max_fds", type: .gauge, help: "Maximum number of open file descriptors.")
        gauge([:], stats.maxFileDescriptors)
        if let threads = stats.threads {
            family("process_threads", type: .gauge, help: "Number of OS threads in the process.")
            gauge([:], threads)
        }
    }
}
