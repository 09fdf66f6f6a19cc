import AgentLedger
import Exposition
import HTTPServer
import ProcessMetrics

/// Renders one scrape: a ledger snapshot plus the exporter's own metrics, in the negotiated format.
enum MetricsPage {
    /// Renders into `page`'s buffers: the agent families into its sections, then histograms,
    /// enrichment's families (with a database), the exporter's own metrics and the process
    /// metrics into its tail.
    static func render(
        _ snapshot: LedgerSnapshot, counts: SelfMetrics.Counts, http: HTTPServerStatistics.Counts,
        web: WebAccess.Status, storage: StorageStatus?, enrichment: Enrichment.Status?, process: ProcessStats?,
        format: ExpositionFormat,
        into page: inout ScrapePageBuffers
    ) {
        page.agents.render(snapshot, format: format)
        var writer = ExpositionWriter(format: format, into: page.takeTail())
        writer.writeDurationHistograms(snapshot.histograms)
        if let enrichment { writer.writeEnrichmentMetrics(enrichment, agents: snapshot) }
        writer.writeExporterMetrics(counts, http: http, ledger: snapshot.statistics, agentsTracked: snapshot.agentCount)
        writer.writeWebMetrics(web, http: http)
        if let storage { writer.writeStorageMetrics(storage) }
        if let process { writer.writeProcessMetrics(process) }
        page.tail = writer.finishBuffer()
    }
}
