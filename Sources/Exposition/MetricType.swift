/// The metric types this exporter exposes.
public enum MetricType: Sendable {
    case counter, gauge, histogram, info
}
