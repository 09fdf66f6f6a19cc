import AgentSimulation
import Foundation
import HTTPClient
import Synchronization
import TestSupport

/// A simulated contact center's pushes split over keep-alive connections (each agent always on
/// the same one, in its own order, as one browser sends them), sent by one thread per
/// connection. A sender stops at the first connection failure and remembers the push it had
/// sent without an answer; the next `send` resends it first, so each push is eventually
/// delivered, and a repeat of one the exporter already stored is recognised as a duplicate.
final class PushStream: Sendable {
    struct Progress {
        /// Next push to send, per connection.
        var next: [Int]
        /// Pushes answered 2xx, per connection.
        var acknowledged: [[SimulatedPush]]
        /// A push sent whose answer never came, per connection.
        var unanswered: [SimulatedPush?]
        var acknowledgedTotal = 0
    }

    let lanes: [[SimulatedPush]]
    let total: Int
    private let progress: Mutex<Progress>

    init(center: ContactCenter, connections: Int) {
        var lanes = [[SimulatedPush]](repeating: [], count: connections)
        for (index, script) in center.scripts.enumerated() { lanes[index % connections] += script.pushes }
        self.lanes = lanes.map { lane in lane.sorted { ($0.epoch, $0.user, $0.counter) < ($1.epoch, $1.user, $1.counter) } }
        total = lanes.reduce(0) { $0 + $1.count }
        progress = Mutex(Progress(
            next: Array(repeating: 0, count: connections), acknowledged: Array(repeating: [], count: connections),
            unanswered: Array(repeating: nil, count: connections)))
    }

    var current: Progress { progress.withLock { $0 } }

    var isFinished: Bool { progress.withLock { $0.next.enumerated().allSatisfy { $0.element == lanes[$0.offset].count } } }

    /// Sends until every lane is done or its connection fails; returns when all senders stopped.
    /// Any status other than 2xx is a failure of the test, reported through `unexpected`.
    func send(port: UInt16, unexpected: @escaping @Sendable (String) -> Void) {
        let group = DispatchGroup()
        for lane in lanes.indices {
            DispatchQueue.global().async(group: group) { [self] in sendLane(lane, port: port, unexpected: unexpected) }
        }
        group.wait()
    }

    private func sendLane(_ lane: Int, port: UInt16, unexpected: @Sendable (String) -> Void) {
        guard let client = try? RawHTTPClient(port: port) else { return }
        while true {
            let index = progress.withLock { $0.next[lane] }
            guard index < lanes[lane].count else { return }
            let push = lanes[lane][index]
            do {
                try client.send(PushTransport.agentScreen.request(push, host: "127.0.0.1", path: "/event"))
            } catch {
                return
            }
            let response: RawResponse
            do {
                response = try client.readResponse()
            } catch {
                progress.withLock { $0.unanswered[lane] = push }
                return
            }
            guard (200..<300).contains(response.status) else {
                unexpected("\(push.user) \(push.event.rawValue) #\(push.counter): \(response.status) \(response.bodyText)")
                return
            }
            progress.withLock { progress in
                progress.next[lane] = index + 1
                progress.acknowledged[lane].append(push)
                progress.unanswered[lane] = nil
                progress.acknowledgedTotal += 1
            }
        }
    }
}
