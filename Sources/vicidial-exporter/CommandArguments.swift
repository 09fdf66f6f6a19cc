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

/// `backfill --label NAME=VALUE`: a label every written series gets, such as the `job` and
/// `instance` Prometheus gives the scraped ones. Not one of the agent families' own labels.
struct LabelArgument: ExpressibleByArgument, CustomStringConvertible {
    static let familyLabels: Set<String> = ["user", "state", "event", "status", "reason", "pause_code", "le"]

    let name: String
    let value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
        guard let first = name.first, first.isASCII, first.isLetter || first == "_", !name.hasPrefix("__"),
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), !Self.familyLabels.contains(name)
        else { return nil }
    }

    var description: String { "\(name)=\(value)" }
}
