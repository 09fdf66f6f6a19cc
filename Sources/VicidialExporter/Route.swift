/// The exporter's endpoints. Paths are matched exactly (no trailing-slash variants).
enum Route: Equatable {
    case event, metrics, landing, healthy, ready, notFound

    init(path: String, telemetryPath: String) {
        switch path {
        case "/event": self = .event
        case telemetryPath: self = .metrics
        case "/": self = .landing
        case "/-/healthy": self = .healthy
        case "/-/ready": self = .ready
        default: self = .notFound
        }
    }

    var allowedMethods: [String] {
        switch self {
        case .event: ["GET", "POST"]
        case .metrics, .landing, .healthy, .ready: ["GET", "HEAD"]
        case .notFound: []
        }
    }

    /// The `route` label value: a fixed set, so unknown paths cannot grow the series count.
    func label(telemetryPath: String) -> String {
        switch self {
        case .event: "/event"
        case .metrics: telemetryPath
        case .landing: "/"
        case .healthy: "/-/healthy"
        case .ready: "/-/ready"
        case .notFound: "other"
        }
    }
}
