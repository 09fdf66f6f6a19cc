import ArgumentParser
import PrometheusDuration
import Storage
import VicidialExporter

#if canImport(Glibc)
import Glibc
#endif

/// `vicidial-exporter backfill`: the agent families as scrapes would have shown them, from the
/// journal kept by `--storage.retention`, as an OpenMetrics file for
/// `promtool tsdb create-blocks-from openmetrics` (docs/backfill.md).
struct BackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Write the agent metrics' history from the journal as OpenMetrics with timestamps, for promtool's backfill.",
        discussion: """
            Reads --storage.path without changing it (beside a running exporter too) from its oldest history, \
            and writes at every multiple of --step what a scrape at that moment would have shown of the \
            vicidial_agent_* families. Then: promtool tsdb create-blocks-from openmetrics FILE OUTDIR, and move \
            the blocks into Prometheus's data directory. Pass the exporter's own --agent.* and --metrics.* \
            values, so the history is accounted as it was. Times: RFC 3339 (2026-12-05T08:00:00Z) or Unix seconds.
            """)

    @OptionGroup var storage: StoragePathFlag

    @Option(name: .customLong("out"), help: ArgumentHelp("The OpenMetrics file to write ('-' for standard output).", valueName: "file"))
    var out: String

    @Option(name: .customLong("from"), help: ArgumentHelp("First sample time; default (and at the earliest) the journal's first record.", valueName: "time"))
    var from: TimeArgument?

    @Option(name: .customLong("to"), help: ArgumentHelp("Last sample time; default (and at the latest) the journal's last record.", valueName: "time"))
    var to: TimeArgument?

    @Option(name: .customLong("label"), help: ArgumentHelp("A label every series gets, NAME=VALUE; repeatable. Give the job and instance labels Prometheus gives the scraped series, so a filled gap joins them.", valueName: "name=value"))
    var labels: [LabelArgument] = []

    @Option(name: .customLong("step"), help: ArgumentHelp("Time between samples (at least 1s); like a scrape interval.", valueName: "duration"))
    var step = DurationArgument(seconds: 60)

    @OptionGroup(title: "Accounting (as given to the exporter that wrote the journal)")
    var ledger: LedgerFlags

    @Flag(name: .customLong("vicidial.pause-codes"), help: "The exporter ran with --vicidial.db-dsn: closed pauses wait for the pause codes its polls journaled.")
    var pauseCodes = false

    func validate() throws {
        if let problem = ledger.problems().first { throw ValidationError(problem) }
        guard step.seconds >= 1 else { throw ValidationError("--step must be at least 1s") }
        guard !storage.path.isEmpty else { throw ValidationError("--storage.path must name the exporter's storage directory") }
        guard !out.isEmpty else { throw ValidationError("--out needs a file name, or '-' for standard output") }
        if Set(labels.map(\.name)).count < labels.count { throw ValidationError("--label: each label name once") }
        if let from, let to, from.seconds > to.seconds { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() throws {
        let directory: StorageDirectory
        do {
            directory = try StorageDirectory(readingOnly: storage.path)
        } catch {
            Self.say("\(error)")
            throw ExitCode.failure
        }
        if (try? directory.isLockedByAnotherProcess()) == true {
            Self.say("\(storage.path) is in use by a running exporter: reading beside it (its newest records may be cut short)")
        }
        let window = BackfillSampler.Window(
            from: from?.seconds, to: to?.seconds, stepMilliseconds: Int64((step.seconds * 1000).rounded()))
        let history: BackfillSampler.History
        let report: RecoveryReport
        do {
            (history, report) = try BackfillSampler.sample(directory, configuration: ledger.configuration(tracksPauseCodes: pauseCodes), window: window)
        } catch {
            Self.say("\(error)")
            throw ExitCode.failure
        }
        Self.describe(report, history, path: storage.path)
        if history.pauseCodePolls > 0 && !pauseCodes {
            Self.say("the journal holds \(history.pauseCodePolls) pause-code polls: the exporter ran with --vicidial.db-dsn; pass --vicidial.pause-codes to account them")
        }
        guard let first = history.firstMilliseconds else {
            Self.say("nothing to write: no step of \(step) falls between --from, --to and the journal's records")
            throw ExitCode.failure
        }
        do {
            try Self.write(history, labels: labels, to: out)
        } catch {
            Self.say("cannot write \(out): \(error)")
            throw ExitCode.failure
        }
        let last = first + Int64(history.steps - 1) * history.stepMilliseconds
        Self.say(
            "wrote \(out == "-" ? "standard output" : out): \(history.series.seriesCount) series, \(history.series.sampleCount) samples, "
                + "\(history.steps) steps of \(step) from \(BackfillTime.text(Double(first) / 1000)) to \(BackfillTime.text(Double(last) / 1000))")
    }

    /// What was read: the base, the segments and records, the time span, any damage.
    private static func describe(_ report: RecoveryReport, _ history: BackfillSampler.History, path: String) {
        let base = report.snapshotSegment.map { "snapshot \($0)" } ?? "an empty ledger"
        let span =
            if let first = history.firstRecordTime, let last = history.lastRecordTime {
                "from \(BackfillTime.text(first)) to \(BackfillTime.text(last))"
            } else {
                "no records"
            }
        say("read \(path): from \(base), \(report.segmentsReplayed) segments, \(report.recordsReplayed) records, \(span)")
        if report.historyMissing { say("the journal before the oldest segment is gone: totals start from its first record") }
        for rejected in report.rejectedSnapshots { say("unreadable snapshot passed over: \(rejected)") }
        for damage in report.damage { say("journal damage, records after it in that segment not read: \(damage)") }
    }

    /// Streams the file in chunks, to `path` (created or emptied) or standard output.
    private static func write(_ history: BackfillSampler.History, labels: [LabelArgument], to path: String) throws(StorageError) {
        let descriptor = path == "-" ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StorageError("create", path, code: errno) }
        defer { if descriptor != STDOUT_FILENO { close(descriptor) } }
        try history.series.write(
            firstMilliseconds: history.firstMilliseconds ?? 0, stepMilliseconds: history.stepMilliseconds,
            labels: labels.map { ($0.name, $0.value) }
        ) { (chunk: [UInt8]) throws(StorageError) in
            try writeAll(chunk, to: descriptor, path: path)
        }
        if descriptor != STDOUT_FILENO, fsync(descriptor) != 0 { throw StorageError("sync", path, code: errno) }
    }

    private static func say(_ line: String) {
        let bytes = Array("backfill: \(line)\n".utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
