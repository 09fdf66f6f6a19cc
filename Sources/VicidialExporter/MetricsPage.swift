import AgentLedger
import Exposition
import HTTPServer
import ProcessMetrics

/// Renders one scrape: a ledger snapshot plus the exporter's own metrics, in the negotiated format.
enum MetricsPage {
    /// About 40 series of ~70 bytes per agent: a new buffer reserves this, so it need not regrow.
    static func estimatedSize(agents: Int) -> Int { 16_384 + agents * 3_000 }

    static func render(
        _ snapshot: LedgerSnapshot, counts: SelfMetrics.Counts, http: HTTPServerStatistics.Counts,
        web: WebAccess.Status, storage: StorageStatus?, process: ProcessStats?, format: ExpositionFormat,
        into buffer: consuming OutputBuffer, sections: inout AgentFamilySections
    ) -> OutputBuffer {
        var writer = ExpositionWriter(format: format, into: buffer)
        writer.writeAgentMetrics(snapshot, sections: &sections)
        writer.writeDurationHistograms(snapshot.histograms)
        writer.writeExporterMetrics(counts, http: http, ledger: snapshot.statistics, agentsTracked: snapshot.agentCount)
        writer.writeWebMetrics(web, http: http)
        if let storage { writer.writeStorageMetrics(storage) }
        if let process { writer.writeProcessMetrics(process) }
        return writer.finishBuffer()
    }
}
