import AgentLedger
import Exposition
import HTTPServer
import ProcessMetrics

/// Renders one scrape: a ledger snapshot plus the exporter's own metrics, in the negotiated format.
enum MetricsPage {
    static func render(
        _ snapshot: LedgerSnapshot, counts: SelfMetrics.Counts, http: HTTPServerStatistics.Counts,
        web: WebAccess.Status, storage: StorageStatus?, process: ProcessStats?, format: ExpositionFormat
    ) -> [UInt8] {
        // About 40 series of ~70 bytes per agent; reserving avoids regrowing the buffer.
        var writer = ExpositionWriter(format: format, reservingCapacity: 16_384 + snapshot.agentCount * 3_000)
        writer.writeAgentMetrics(snapshot)
        writer.writeDurationHistograms(snapshot.histograms)
        writer.writeExporterMetrics(counts, http: http, ledger: snapshot.statistics, agentsTracked: snapshot.agentCount)
        writer.writeWebMetrics(web, http: http)
        if let storage { writer.writeStorageMetrics(storage) }
        if let process { writer.writeProcessMetrics(process) }
        return writer.finish()
    }
}
