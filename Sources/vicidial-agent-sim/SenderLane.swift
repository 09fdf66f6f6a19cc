import AgentSimulation
import HTTPClient

/// One sender thread's share of the run: the pushes of some agents, in delivery order, each agent
/// on its own keep-alive connection (as each agent's browser has its own).
struct SenderLane: Sendable {
    let deliveries: [Delivery]
    let transport: PushTransport
    let target: TargetHostPort
    let path: String

    /// Sends every push at `start + offset` on the monotonic clock (at once when running behind).
    func run(from start: Double, tally: SendTally) {
        var connections: [Int: RawHTTPClient] = [:]
        for delivery in deliveries {
            RealClock.sleep(until: start + delivery.offset)
            let push = delivery.push
            let request = transport.request(push, host: target.description, path: path)
            do {
                let response = try send(request, agent: delivery.agent, connections: &connections)
                if (200..<300).contains(response.status) {
                    tally.recordSent()
                } else {
                    tally.recordFailure("\(push.user) \(push.event.rawValue): HTTP \(response.status) \(response.bodyText)")
                }
            } catch {
                tally.recordFailure("\(push.user) \(push.event.rawValue): \(error)")
            }
        }
    }

    /// Sends on the agent's connection; when that fails (the server closed an idle one), once more on a new one.
    /// A push the server did take before the failure arrives twice: the exporter drops the exact repeat.
    private func send(_ request: String, agent: Int, connections: inout [Int: RawHTTPClient]) throws -> RawResponse {
        var attempt = 0
        while true {
            do {
                let client = try connections[agent] ?? RawHTTPClient(host: target.host, port: target.port)
                connections[agent] = client
                try client.send(request)
                let response = try client.readResponse()
                if response.header("Connection")?.lowercased() == "close" { connections[agent] = nil }
                return response
            } catch {
                connections[agent] = nil
                attempt += 1
                if attempt == 2 { throw error }
            }
        }
    }
}
