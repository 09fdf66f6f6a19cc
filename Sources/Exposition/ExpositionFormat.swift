/// The two text formats a Prometheus-compatible scraper can ask for.
public enum ExpositionFormat: Sendable, Equatable {
    /// Prometheus text format 0.0.4, which every Prometheus version reads.
    case prometheusText
    /// OpenMetrics 1.0 text format.
    case openMetrics

    /// The `Content-Type` header value for a response in this format.
    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }
}
