import Foundation
import HTTPServer
import Synchronization

/// Alertmanager's webhook receiver: an HTTP server on 127.0.0.1 that keeps every alert it is sent.
final class AlertWebhook: Sendable {
    struct Alert: Equatable, Sendable {
        let name: String
        let labels: [String: String]
        let status: String
    }

    private final class Inbox: Sendable {
        let alerts = Mutex<[Alert]>([])
    }

    private let server: HTTPServer
    private let inbox: Inbox

    init() throws {
        let inbox = Inbox()
        server = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0)) { request in
            guard request.method == "POST", let payload = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            else { return .text(400, "expected Alertmanager's JSON\n") }
            let alerts = (payload["alerts"] as? [[String: Any]] ?? []).map { alert in
                let labels = alert["labels"] as? [String: String] ?? [:]
                return Alert(name: labels["alertname"] ?? "", labels: labels, status: alert["status"] as? String ?? "")
            }
            inbox.alerts.withLock { $0.append(contentsOf: alerts) }
            return .text(200, "ok\n")
        }
        self.inbox = inbox
    }

    var url: String { "http://127.0.0.1:\(server.boundPort)/alerts" }
    var alerts: [Alert] { inbox.alerts.withLock { $0 } }

    deinit { server.stop() }
}
