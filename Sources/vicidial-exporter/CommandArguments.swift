import ArgumentParser
import PrometheusDuration
import Storage
import VicidialExporter

/// `--web.listen-address`.
extension ListenHostPort: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `--storage.fsync`: `always`, `never` or a duration from 1ms to 1h; shown in `--help` as it
/// is written on the command line.
struct FsyncArgument: ExpressibleByArgument, CustomStringConvertible {
    let policy: FsyncPolicy

    init(_ policy: FsyncPolicy) { self.policy = policy }

    init?(argument: String) {
        switch argument {
        case "always": policy = .always
        case "never": policy = .never
        default:
            guard let seconds = DurationFlag.seconds(argument), seconds > 0, seconds <= 3_600 else { return nil }
            policy = .interval(seconds)
        }
    }

    var description: String {
        switch policy {
        case .interval(let seconds): DurationFlag.text(seconds)
        case .always, .never: "\(policy)"
        }
    }
}

/// `backfill --from` and `--to`: RFC 3339 or Unix seconds (`BackfillTime`).
struct TimeArgument: ExpressibleByArgument, CustomStringConvertible {
    let seconds: Double

    init?(argument: String) {
        guard let seconds = BackfillTime.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    var description: String { BackfillTime.text(seconds) }
}
