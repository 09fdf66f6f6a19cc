import ArgumentParser

/// A duration flag of either command (`--agent.reorder-window 1s`, `--jitter 200ms`): parsed
/// from Prometheus-style text, or built from seconds for a default, and shown as Prometheus
/// shows durations (`1h`, `1w`, `1m30s`).
public struct DurationArgument: ExpressibleByArgument, CustomStringConvertible, Equatable, Sendable {
    public let seconds: Double

    public init?(argument: String) {
        guard let seconds = DurationFlag.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    public init(seconds: Double) {
        self.seconds = seconds
    }

    public var description: String { DurationFlag.text(seconds) }
}
