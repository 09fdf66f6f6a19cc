import AgentEvents
import AgentLedger
import Foundation
import Logging
import Storage
import Testing
import TestSupport

@testable import VicidialExporter

/// `backfill`'s samples are what scrapes at those moments showed, to the byte: an exporter with
/// its journal takes a known agent day with a scrape every minute, and the journal, sampled
/// every minute, gives back each scrape's agent families.
@Suite struct BackfillSamplerTests {
    static let openMetrics = "application/openmetrics-text; version=1.0.0"
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("vx-backfill-\(UUID().uuidString)").path

    /// Two agents: 6666 works a session (two calls, a pause) and logs out at 900; 5555 logs in
    /// at 200, takes a call and stays paused. Seconds after `ExporterHarness.start`.
    static let day: [(second: Double, user: String, event: String, message: String)] = [
        (5, "6666", "logged_in", ""), (65, "6666", "state_ready", "READY"), (130, "6666", "call_answered", ""),
        (200, "5555", "logged_in", ""), (230, "5555", "state_ready", "READY"), (250, "6666", "call_dead", ""),
        (260, "6666", "agent_hangup", ""), (300, "6666", "dispo_set", "SALE"), (300, "5555", "call_answered", ""),
        (310, "6666", "state_ready", "READY"), (400, "6666", "call_answered", ""), (420, "5555", "agent_hangup", ""),
        (430, "5555", "dispo_set", "DNC"), (520, "6666", "agent_hangup", ""), (545, "6666", "dispo_set", "NI"),
        (600, "6666", "state_ready", "READY"), (800, "6666", "state_paused", "PAUSED"), (900, "6666", "logged_out", "NORMAL"),
    ]

    /// Runs the day through an exporter journaling into `path`, scraping (OpenMetrics) every
    /// `scrapeEvery` seconds up to 1200 after the pushes of that second, with a snapshot at each
    /// second in `snapshotsAt`; returns the scrapes' agent lines by time.
    func runDay(scrapeEvery: Int, snapshotsAt: Set<Int> = [], retention: Double = 0) throws -> [Int64: [String]] {
        let harness = ExporterHarness(recovering: true)
        let directory = try StorageDirectory(path: path, retention: retention)
        let (ledger, report) = try directory.recover(configuration: harness.exporter.configuration.ledger)
        let journal = try directory.openJournal(after: report, policy: .never)
        harness.exporter.store.resume(
            from: ledger,
            persistence: Persistence(directory: directory, journal: journal, recovery: report, recoverySeconds: 0, logger: Logger(label: "test")))
        defer { _ = journal.close() }
        var counters: [String: Int] = [:]
        var pushes = Self.day[...]
        var scrapes: [Int64: [String]] = [:]
        for second in 1...1200 {
            while let push = pushes.first, Int(push.second) == second {
                counters[push.user, default: 0] += 1
                harness.push(push.event, push.message, counter: counters[push.user]!, at: push.second, user: push.user)
                pushes = pushes.dropFirst()
            }
            if second % scrapeEvery == 0 {
                scrapes[ExporterHarness.start + Int64(second)] = harness.scrape(at: Double(second), accept: Self.openMetrics).text
                    .split(separator: "\n").map(String.init).filter { $0.hasPrefix("vicidial_agent_") }.sorted()
            }
            if snapshotsAt.contains(second) {
                harness.at(Double(second))
                #expect(harness.exporter.store.writeSnapshot() == nil)
            }
        }
        return scrapes
    }

    /// Samples the journal in `path` every minute and writes the file; returns its text.
    func backfill(from: Double? = nil, to: Double? = nil) throws -> (text: String, history: BackfillSampler.History, report: RecoveryReport) {
        let (history, report) = try BackfillSampler.sample(
            try StorageDirectory(readingOnly: path), configuration: ExporterConfiguration().ledger,
            window: BackfillSampler.Window(from: from, to: to, stepMilliseconds: 60_000))
        var bytes: [UInt8] = []
        history.series.write(firstMilliseconds: history.firstMilliseconds ?? 0, stepMilliseconds: 60_000) { bytes += $0 }
        return (String(decoding: bytes, as: UTF8.self), history, report)
    }

    /// The file's sample lines by timestamp, without it, sorted.
    static func byTime(_ text: String) -> [Int64: [String]] {
        var samples: [Int64: [String]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let space = line.lastIndex(of: " ")!
            samples[Int64(line[line.index(after: space)...])!, default: []].append(String(line[..<space]))
        }
        return samples.mapValues { $0.sorted() }
    }

    @Test func everyMinuteEqualsTheScrapeOfThatMinute() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scrapes = try runDay(scrapeEvery: 60)
        let (text, history, report) = try backfill()
        #expect(report.snapshotSegment == nil)
        #expect(report.damage.isEmpty)
        #expect(history.firstRecordTime == Double(ExporterHarness.start + 5))
        #expect(history.lastRecordTime == Double(ExporterHarness.start + 1200))
        #expect(history.steps == 20)
        #expect(history.pauseCodePolls == 0)
        let samples = Self.byTime(text)
        #expect(samples.keys.sorted() == scrapes.keys.sorted())
        for (time, lines) in scrapes.sorted(by: { $0.key < $1.key }) {
            #expect(samples[time] == lines, "at \(time - ExporterHarness.start) s")
        }
        // The hand-worked seconds (accounting.md's rules) at 600 and at the end.
        let at600 = ExporterHarness.start + 600
        let at1200 = ExporterHarness.start + 1200
        for line in [
            #"vicidial_agent_state_seconds_total{user="6666",state="pause"} 125 \#(at600)"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="wait"} 155 \#(at600)"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="talk"} 240 \#(at600)"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="dead"} 10 \#(at600)"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="dispo"} 65 \#(at600)"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="pause"} 225 \#(at1200)"#,
            #"vicidial_agent_state_seconds_total{user="6666",state="wait"} 355 \#(at1200)"#,
            #"vicidial_agent_state_seconds_total{user="5555",state="pause"} 800 \#(at1200)"#,
            #"vicidial_agent_calls_total{user="6666"} 2 \#(at600)"#,
            #"vicidial_agent_dispositions_total{user="6666",status="NI"} 1 \#(at600)"#,
            #"vicidial_agent_dispositions_total{user="5555",status="DNC"} 1 \#(at1200)"#,
            #"vicidial_agent_state{user="6666",state="wait"} 1 \#(at600)"#,
            #"vicidial_agent_logouts_total{user="6666",reason="NORMAL"} 1 \#(at1200)"#,
            #"vicidial_agent_call_duration_seconds_count 3 \#(at1200)"#,
        ] {
            #expect(text.contains(line + "\n"), "missing: \(line)")
        }
    }

    /// Where Prometheus missed scrapes, the samples are what a scrape then would have shown: the
    /// journal of an exporter scraped every ten minutes, sampled every minute, gives the
    /// scrapes of one scraped every minute.
    @Test func aGapIsFilledWithWhatScrapesWouldHaveShown() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let everyMinute = try runDay(scrapeEvery: 60)
        try FileManager.default.removeItem(atPath: path)
        let everyTenMinutes = try runDay(scrapeEvery: 600)
        #expect(everyTenMinutes.count == 2)
        let samples = Self.byTime(try backfill().text)
        #expect(samples.keys.sorted() == everyMinute.keys.sorted())
        for (time, lines) in everyMinute.sorted(by: { $0.key < $1.key }) {
            #expect(samples[time] == lines, "at \(time - ExporterHarness.start) s")
        }
    }

    /// Once segment 1 is compacted away the history starts at the oldest snapshot kept, and
    /// `--from`/`--to` narrow it.
    @Test func fromTheOldestSnapshotWithinFromAndTo() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scrapes = try runDay(scrapeEvery: 60, snapshotsAt: [310, 610, 910])
        let (text, history, report) = try backfill(from: Double(ExporterHarness.start + 700), to: Double(ExporterHarness.start + 1000))
        #expect(report.snapshotSegment == 3)
        #expect(history.firstRecordTime == Double(ExporterHarness.start + 660))
        let samples = Self.byTime(text)
        #expect(samples.keys.sorted() == [720, 780, 840, 900, 960].map { ExporterHarness.start + $0 })
        for (time, lines) in samples { #expect(scrapes[time] == lines, "at \(time - ExporterHarness.start) s") }
    }

    /// The pause-code family comes from the polls the journal holds, when the exporter tracked them.
    @Test(arguments: [true, false]) func pauseCodesFromTheJournaledPolls(tracked: Bool) throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = Double(ExporterHarness.start)
        do {
            let directory = try StorageDirectory(path: path)
            let journal = try directory.openJournal(after: RecoveryReport(), policy: .never)
            defer { _ = journal.close() }
            func event(_ name: String, counter: Int, at second: Double) -> JournalRecord {
                .event(
                    AgentEvent(user: "6666", event: EventName(name), counter: counter, epoch: Int64(start + second)),
                    receivedAt: start + second)
            }
            for record: JournalRecord in [
                event("logged_in", counter: 1, at: 0), .advance(to: start + 20),
                .pauseCodes(["6666": [PauseCodeRow(agentLogID: 501, pauseEpoch: start, code: "BREAK")]], polledAt: start + 20),
                event("state_ready", counter: 2, at: 60), .pauseCodes(["6666": []], polledAt: start + 62), .advance(to: start + 120),
            ] {
                _ = try journal.append(record)
            }
        }
        let (history, _) = try BackfillSampler.sample(
            try StorageDirectory(readingOnly: path), configuration: LedgerConfiguration(tracksPauseCodes: tracked),
            window: BackfillSampler.Window(stepMilliseconds: 60_000))
        var bytes: [UInt8] = []
        history.series.write(firstMilliseconds: history.firstMilliseconds!, stepMilliseconds: 60_000) { bytes += $0 }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { $0.contains("pause_code") }
        #expect(history.pauseCodePolls == 2)
        // The open pause's 20 s counted by the poll at 20; the rest by the first poll after it closed.
        #expect(lines == (tracked ? [
            "# TYPE vicidial_agent_pause_code_seconds counter",
            "# HELP vicidial_agent_pause_code_seconds Seconds of closed pauses by the pause code VICIdial recorded (vicidial_agent_log.sub_status): no_code without one, unknown when it could not be learned; they add up to the pause state's seconds.",
            #"vicidial_agent_pause_code_seconds_total{user="6666",pause_code="BREAK"} 20 \#(ExporterHarness.start + 60)"#,
            #"vicidial_agent_pause_code_seconds_total{user="6666",pause_code="BREAK"} 60 \#(ExporterHarness.start + 120)"#,
        ] : []))
    }

    /// Families come once, each with all its series, each series' samples in time order.
    @Test func theFileIsGroupedByFamilyAndSeries() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try runDay(scrapeEvery: 60)
        let (text, history, _) = try backfill()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.last == "# EOF")
        let types = lines.filter { $0.hasPrefix("# TYPE ") }
        #expect(types == [
            "# TYPE vicidial_agent_events counter", "# TYPE vicidial_agent_state_seconds counter",
            "# TYPE vicidial_agent_talk_seconds counter", "# TYPE vicidial_agent_calls counter",
            "# TYPE vicidial_agent_dispositions counter", "# TYPE vicidial_agent_logins counter",
            "# TYPE vicidial_agent_logouts counter", "# TYPE vicidial_agent_state gauge",
            "# TYPE vicidial_agent_state_start_timestamp_seconds gauge", "# TYPE vicidial_agent_last_event_timestamp_seconds gauge",
            "# TYPE vicidial_agent_call_duration_seconds histogram", "# TYPE vicidial_agent_pause_duration_seconds histogram",
            "# TYPE vicidial_agent_dispo_duration_seconds histogram",
        ])
        #expect(lines.filter { $0.hasPrefix("# HELP ") }.count == types.count)
        var seen: Set<String> = []
        var previous: (series: String, time: Int64)?
        for line in lines where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            let (series, time) = (String(parts[0]), Int64(parts[2])!)
            if series != previous?.series {
                #expect(seen.insert(series).inserted, "\(series) comes back")
            } else {
                #expect(time > previous!.time, "\(series) out of order")
            }
            previous = (series, time)
        }
        #expect(seen.count == history.series.seriesCount)
        #expect(lines.count { !$0.hasPrefix("#") } == history.series.sampleCount)
    }
}
