import HTTPServer
import Synchronization
import WebConfig

/// What `--web.config.file` asks of each request (basic auth, extra headers), bound to the
/// listener that accepted its connection (`HTTPRequest.listenerContext`): a connection is served
/// under the config in force when it was accepted, even while a reload swaps listeners.
public struct WebPolicy: Sendable {
    public let users: [String: BcryptHash]
    public let headers: [(name: String, value: String)]

    /// Anyone in, no extra header: the exporter without a web config.
    public static let open = WebPolicy(WebConfiguration())

    public init(_ configuration: WebConfiguration) {
        users = configuration.basicAuthUsers
        headers = configuration.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }
}

/// Applies each request's `WebPolicy`: basic auth on every route but `/event` (the agent
/// screen cannot send credentials; it has its own guards) and the extra response headers;
/// counts refusals and keeps the reload status for /metrics.
public final class WebAccess: Sendable {
    public struct Status: Sendable, Equatable {
        /// A web config file is in use.
        public var configured = false
        /// The last reload attempt's outcome (true until one fails).
        public var lastReloadSuccessful = true
        /// Unix time the config in force was loaded.
        public var lastSuccessTimestamp = 0.0
        /// Refused requests by reason: basic auth `missing`, `wrong`, `busy`.
        public var failures: [String: UInt64] = ["missing": 0, "wrong": 0, "busy": 0]
    }

    private let state = Mutex(Status())
    private let authenticator = BasicAuthenticator()

    public init() {}

    public var status: Status { state.withLock { $0 } }

    /// A web config was put in force (at start and after each good reload).
    public func loaded(at timestamp: Double) {
        state.withLock { status in
            status.configured = true
            status.lastReloadSuccessful = true
            status.lastSuccessTimestamp = timestamp
        }
    }

    /// A reload was refused; the configuration in force stays.
    func reloadFailed() {
        state.withLock { $0.lastReloadSuccessful = false }
    }

    /// A read after failed ones found the config in force again.
    func reloadRecovered() {
        state.withLock { $0.lastReloadSuccessful = true }
    }

    /// The policy `request` is served under. A request without one comes from a listener started
    /// without a web config, unless one is in use: then it is refused rather than let through.
    func policy(for request: HTTPRequest) -> WebPolicy? {
        if let policy = request.listenerContext as? WebPolicy { return policy }
        return state.withLock { $0.configured } ? nil : .open
    }

    /// The answer refusing `request` under `policy`, or nil when it may go on.
    func refusal(for request: HTTPRequest, under policy: WebPolicy) -> HTTPResponse? {
        guard !policy.users.isEmpty else { return nil }
        let credentials = request.headers["authorization"].flatMap(BasicCredentials.init(authorization:))
        let outcome = authenticator.check(credentials, users: policy.users)
        guard outcome != .allowed else { return nil }
        state.withLock { $0.failures[outcome.rawValue, default: 0] += 1 }
        if outcome == .busy {
            return .text(429, "too many requests: another password is being checked; retry\n", headers: [("Retry-After", "1")])
        }
        return .text(401, "unauthorized: this exporter asks for basic auth (see --web.config.file)\n",
            headers: [("WWW-Authenticate", "Basic realm=\"vicidial-exporter\", charset=\"UTF-8\"")])
    }
}
