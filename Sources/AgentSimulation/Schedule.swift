/// One push due at `offset` real seconds after the run's start, from the script at index `agent`.
public struct Delivery: Sendable, Equatable {
    public let agent: Int
    public let push: SimulatedPush
    public let offset: Double
}

/// Maps simulated time onto real time: `speed` simulated seconds per real second, each push
/// delayed by a random fraction of `jitter` so an agent's pushes overtake each other as the
/// browser's independent XHRs do.
public struct Schedule: Sendable {
    /// A push is never delivered before the push this many places earlier of the same agent: XHRs
    /// overtake their neighbours, not long runs, and the exporter relies on that to tell a new page's
    /// pushes from the old page's stragglers (it allows 8 counters). At high speed the jitter spans
    /// many simulated seconds, so without this bound it would reorder further than any browser does.
    public static let reorderDistance = 8

    public let speed: Double
    public let jitter: Double

    public init(speed: Double, jitter: Double) {
        precondition(speed >= 1, "a speed below 1 would put simulated time ahead of the real clock")
        precondition(jitter >= 0)
        self.speed = speed
        self.jitter = jitter
    }

    /// Real seconds after the run's start when simulated second `time` comes.
    public func offset(of time: Int) -> Double { Double(time) / speed }

    /// The epoch of simulated second 0 for a run starting at `wallClockStart` (Unix seconds):
    /// simulated time reaches the real clock at the run's end and never runs ahead of it before,
    /// so epochs lie in the past (by up to `span - span / speed` seconds at the start) and approach now.
    public func startEpoch(wallClockStart: Double, span: Int) -> Int64 {
        Int64((wallClockStart + offset(of: span)).rounded(.down)) - Int64(span)
    }

    /// Every push of every script, each at its scaled time plus a delay in [0, jitter), in order of delivery.
    public func deliveries(of scripts: [AgentScript], seed: UInt64) -> [Delivery] {
        var rng = SplitMix64(seed: seed, stream: .max)  // agents use streams 0..<agents
        var deliveries: [(delivery: Delivery, order: Int)] = []
        for (agent, script) in scripts.enumerated() {
            var offsets: [Double] = []
            for push in script.pushes {
                let delay = jitter > 0 ? Double.random(in: 0..<jitter, using: &rng) : 0
                var due = offset(of: push.time) + delay
                if offsets.count >= Self.reorderDistance { due = max(due, offsets[offsets.count - Self.reorderDistance]) }
                offsets.append(due)
                deliveries.append((Delivery(agent: agent, push: push, offset: due), deliveries.count))
            }
        }
        deliveries.sort { ($0.delivery.offset, $0.order) < ($1.delivery.offset, $1.order) }
        return deliveries.map(\.delivery)
    }
}
