import AgentEvents
@testable import AgentLedger

/// Estimates how far the exporter's clock runs ahead of an agent's epoch clock.
///
/// Each stamped event gives a sample `receivedAt - epoch` = clock difference + network delay +
/// the up-to-one-second age of the screen's last poll. Delays only ever add, so the smallest
/// recent sample is the best estimate; a window keeps it following a drifting server clock.
struct LegacyClockOffset: Sendable, Codable, Equatable {
    static let window = 16

    private var samples: [Double] = []
    private var nextSlot = 0

    var estimate: Double? { samples.min() }

    mutating func record(_ sample: Double) {
        if samples.count < Self.window {
            samples.append(sample)
        } else {
            samples[nextSlot] = sample
        }
        nextSlot = (nextSlot + 1) % Self.window
    }
}
