import AgentLedger
import Exposition
import Storage

/// `vicidial-exporter backfill`'s sampling (pure): while the journal is replayed record by
/// record, at every multiple of the step between the window's ends it takes what a scrape at
/// that moment would have shown, and collects it in `BackfillSeries`.
///
/// A sample at time `t` is taken once every record up to `t` is applied (just before the first
/// record after `t`): a copy of the ledger is advanced to `t`, as a scrape advances it, and
/// rendered with the exporter's own agent families, duration histograms and pause-code family
/// in OpenMetrics. The copy goes; the replayed ledger follows only the advances the journal
/// holds, so it stays the ledger the exporter had. Samples lie within the span the journal
/// covers: from its first record (before it, the state is not known) to its last (after it,
/// the exporter may have been stopped).
public struct BackfillSampler {
    public struct Window: Sendable, Equatable {
        /// Unix seconds; nil for the first record's time, and never before it.
        public var from: Double?
        /// Unix seconds; nil for the last record's time, and never after it.
        public var to: Double?
        public var stepMilliseconds: Int64

        public init(from: Double? = nil, to: Double? = nil, stepMilliseconds: Int64) {
            precondition(stepMilliseconds > 0, "a step of at least a millisecond")
            self.from = from
            self.to = to
            self.stepMilliseconds = stepMilliseconds
        }
    }

    /// What was sampled: the series, where the samples are, and what the journal spanned.
    public struct History {
        public var series: BackfillSeries
        /// The first sample's time, in milliseconds (nil: no sample), and the step between samples.
        public var firstMilliseconds: Int64?
        public var stepMilliseconds: Int64
        public var steps: Int
        /// The times of the first and last records (Unix seconds): nil without records.
        public var firstRecordTime: Double?
        public var lastRecordTime: Double?
        /// `pauseCodes` records met (polls of VICIdial's database that were journaled).
        public var pauseCodePolls: Int
    }

    private let window: Window
    /// The next sample's step number (its time is `step × stepMilliseconds`), from the first record on.
    private var nextStep: Int64?
    private var firstStep: Int64?
    private var firstRecordTime: Double?
    private var lastRecordTime: Double?
    private var pauseCodePolls = 0
    private var series = BackfillSeries()

    public init(window: Window) {
        self.window = window
    }

    /// Replays `directory`'s history (`StorageDirectory.replayHistory`) under `configuration`
    /// and samples it through `window`.
    public static func sample(
        _ directory: StorageDirectory, configuration: LedgerConfiguration, window: Window
    ) throws(StorageRefusal) -> (History, RecoveryReport) {
        var sampler = BackfillSampler(window: window)
        let (ledger, report) = try directory.replayHistory(configuration: configuration) { record, ledger in
            sampler.willApply(record, to: ledger)
        }
        return (sampler.finish(with: ledger), report)
    }

    /// Takes the samples due before `record` (those earlier than its time), from `ledger` as it
    /// stands before the record is applied.
    public mutating func willApply(_ record: JournalRecord, to ledger: AgentLedger) {
        let time = record.time
        if firstRecordTime == nil {
            firstRecordTime = time
            let start = max(window.from ?? time, time) * 1000 / Double(window.stepMilliseconds)
            nextStep = Int64(start.rounded(.up))
            firstStep = nextStep
        }
        lastRecordTime = max(lastRecordTime ?? time, time)
        if case .pauseCodes = record { pauseCodePolls += 1 }
        sample(ledger, before: time)
    }

    /// Takes the samples left up to the window's end (at most the last record's time) from the
    /// ledger after the last record.
    public mutating func finish(with ledger: AgentLedger) -> History {
        if let lastRecordTime { sample(ledger, before: lastRecordTime.nextUp) }
        let steps = Int((nextStep ?? 0) - (firstStep ?? 0))
        return History(
            series: series, firstMilliseconds: steps > 0 ? firstStep.map { $0 * window.stepMilliseconds } : nil,
            stepMilliseconds: window.stepMilliseconds, steps: steps, firstRecordTime: firstRecordTime,
            lastRecordTime: lastRecordTime, pauseCodePolls: pauseCodePolls)
    }

    /// Samples every step earlier than `time` and within the window.
    private mutating func sample(_ ledger: AgentLedger, before time: Double) {
        guard var step = nextStep, let firstStep else { return }
        while true {
            let seconds = Double(step * window.stepMilliseconds) / 1000
            guard seconds < time, seconds <= window.to ?? .infinity else { break }
            var copy = ledger
            render(copy.snapshot(at: seconds), as: UInt32(step - firstStep))
            step += 1
        }
        nextStep = step
    }

    /// Renders what a scrape shows of the ledger (the agent families, the duration histograms,
    /// the pause codes) in OpenMetrics, and collects it as step `step`.
    private mutating func render(_ snapshot: LedgerSnapshot, as step: UInt32) {
        var sections = AgentFamilySections { _ in OutputBuffer(capacity: 0) }
        ExpositionWriter.writeAgentMetrics(
            snapshot, at: 0..<snapshot.agentCount, metadata: true, format: .openMetrics, into: &sections)
        for index in 0..<AgentFamily.count { sections[index].withBytes { series.add(exposition: $0, step: step) } }
        var writer = ExpositionWriter(format: .openMetrics, into: OutputBuffer(capacity: 0))
        writer.writeDurationHistograms(snapshot.histograms)
        writer.writePauseCodeSeconds(snapshot)
        writer.finishBuffer().withBytes { series.add(exposition: $0, step: step) }
    }
}
