/// The exporter's endpoints. Paths are matched exactly (no trailing-slash variants).
enum Route: Equatable {
    case event, metrics, landing, healthy, ready

    /// nil for a path the exporter does not serve.
    init?(path: String, telemetryPath: String) {
        switch path {
        case "/event": self = .event
        case telemetryPath: self = .metrics
        case "/": self = .landing
        case "/-/healthy": self = .healthy
        case "/-/ready": self = .ready
        default: return nil
        }
    }

    var allowedMethods: [String] {
        switch self {
        case .event: ["GET", "POST"]
        case .metrics, .landing, .healthy, .ready: ["GET", "HEAD"]
        }
    }

    /// The `route` label of requests to unknown paths, and of those refused before their path was read.
    static let otherLabel = "other"

    /// The `route` label value (unknown paths count as `other`: a fixed set, so they cannot grow the series count).
    func label(telemetryPath: String) -> String {
        switch self {
        case .event: "/event"
        case .metrics: telemetryPath
        case .landing: "/"
        case .healthy: "/-/healthy"
        case .ready: "/-/ready"
        }
    }
}
