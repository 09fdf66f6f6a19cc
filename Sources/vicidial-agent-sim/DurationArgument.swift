import ArgumentParser
import PrometheusDuration

/// A Prometheus-style duration flag: `90s`, `2m`, `1h30m`, `200ms`, `0s` (also `0`).
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible {
    let seconds: Double
    let description: String

    init?(argument: String) {
        guard let seconds = DurationFlag.seconds(argument) else { return nil }
        self.seconds = seconds
        description = argument
    }
}
