import HTTPServer
import Synchronization
import WebConfig

/// The part of `--web.config.file` applied per request: basic auth on every route but
/// `/event` (the agent screen cannot send credentials; it has its own guards) and the extra
/// response headers. Replaced whole on a reload; a request sees one version or the other.
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

    private struct Policy: Sendable {
        var users: [String: BcryptHash] = [:]
        var headers: [(name: String, value: String)] = []
    }

    private let policy = Mutex(Policy())
    private let state = Mutex(Status())
    private let authenticator = BasicAuthenticator()

    public init() {}

    public var status: Status { state.withLock { $0 } }

    /// Puts `configuration` in force (at start and after each good reload).
    public func apply(_ configuration: WebConfiguration, at timestamp: Double) {
        policy.withLock { policy in
            policy.users = configuration.basicAuthUsers
            policy.headers = configuration.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        }
        state.withLock { status in
            status.configured = true
            status.lastReloadSuccessful = true
            status.lastSuccessTimestamp = timestamp
        }
    }

    /// A reload was refused; the configuration in force stays.
    public func reloadFailed() {
        state.withLock { $0.lastReloadSuccessful = false }
    }

    /// A read after failed ones found the config in force again.
    public func reloadRecovered() {
        state.withLock { $0.lastReloadSuccessful = true }
    }

    /// The answer refusing `request`, or nil when it may go on.
    func refusal(for request: HTTPRequest) -> HTTPResponse? {
        let users = policy.withLock { $0.users }
        guard !users.isEmpty else { return nil }
        let credentials = request.headers["authorization"].flatMap(BasicCredentials.init(authorization:))
        let outcome = authenticator.check(credentials, users: users)
        guard outcome != .allowed else { return nil }
        state.withLock { $0.failures[outcome.rawValue, default: 0] += 1 }
        if outcome == .busy {
            return .text(429, "too many requests: another password is being checked; retry\n", headers: [("Retry-After", "1")])
        }
        return .text(401, "unauthorized: this exporter asks for basic auth (see --web.config.file)\n",
            headers: [("WWW-Authenticate", "Basic realm=\"vicidial-exporter\", charset=\"UTF-8\"")])
    }

    /// `http_server_config.headers`, for every answer.
    var headers: [(name: String, value: String)] { policy.withLock { $0.headers } }
}
