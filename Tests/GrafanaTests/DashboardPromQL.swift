/// A small, strict scanner for the PromQL in Grafana dashboards: which metric names an expression
/// reads, which range windows it uses, which Grafana variables it refers to.
///
/// It does not parse PromQL. It walks the tokens and classifies each identifier by where it stands:
/// label names inside `{...}`, in the label lists of `by`/`without`/`on`/`ignoring`/`group_left`/
/// `group_right` and as the last argument of Grafana's `label_values` are labels; an identifier
/// followed by `(` is a function (unknown ones are an error, so a typo cannot hide a metric name);
/// keywords, numbers, durations, strings, `[...]` windows and `$variables` are skipped. Whatever
/// identifier is left is a metric name. Anything it does not understand is an error, not a guess.
struct DashboardPromQLScan: Equatable {
    /// Metric (or recording rule) names, in order of first appearance, each once.
    var metricNames: [String] = []
    /// The text inside each `[...]` (range or subquery), trimmed, in order.
    var rangeWindows: [String] = []
    /// Grafana variables referred to (`$user`, `${user:regex}`, `[[user]]` all give "user"),
    /// inside strings and windows too, in order of first appearance, each once.
    var variables: [String] = []
}

enum DashboardPromQLError: Error, Equatable, CustomStringConvertible {
    case unterminatedString(offset: Int)
    case unbalanced(String, offset: Int)
    case unknownFunction(String)
    case unexpected(String, offset: Int)
    /// `{__name__=...}` or `{"quoted.name"}`: metric names must be written out as identifiers.
    case indirectMetricName(offset: Int)

    var description: String {
        switch self {
        case .unterminatedString(let offset): "unterminated string at offset \(offset)"
        case .unbalanced(let what, let offset): "unbalanced \(what) at offset \(offset)"
        case .unknownFunction(let name): "unknown function \(name)()"
        case .unexpected(let what, let offset): "unexpected \(what) at offset \(offset)"
        case .indirectMetricName(let offset): "metric name given through __name__ or a quoted name at offset \(offset)"
        }
    }
}

enum DashboardPromQL {
    /// Aggregation operators: followed by `(`, `by` or `without`.
    static let aggregations: Set<String> = [
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
        "quantile", "limitk", "limit_ratio",
    ]

    /// Prometheus functions (2.x and 3.x), the `@` modifier's `start()`/`end()`, and the functions of
    /// Grafana's Prometheus variable queries that take PromQL (`query_result`) or nothing (`label_names`).
    static let functions: Set<String> = [
        "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time",
        "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month",
        "day_of_week", "day_of_year", "days_in_month", "deg", "delta", "deriv", "double_exponential_smoothing",
        "exp", "floor", "histogram_avg", "histogram_count", "histogram_fraction", "histogram_quantile",
        "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters", "hour", "idelta", "increase",
        "info", "irate", "label_join", "label_replace", "last_over_time", "ln", "log10", "log2", "mad_over_time",
        "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear", "present_over_time",
        "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh", "sort",
        "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time",
        "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
        "start", "end",
        "query_result", "label_names",
    ]

    /// Keywords (case-insensitive in PromQL): binary set operators, modifiers, number literals.
    static let keywords: Set<String> = ["and", "or", "unless", "atan2", "bool", "offset", "inf", "nan"]

    /// Keywords followed by a label list: mandatory after `by`, `without`, `on`, `ignoring`;
    /// optional after `group_left`, `group_right`.
    static let labelListKeywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]

    static func metricNames(in expr: String) throws(DashboardPromQLError) -> [String] {
        try scan(expr).metricNames
    }

    static func scan(_ expr: String) throws(DashboardPromQLError) -> DashboardPromQLScan {
        var scanner = DashboardPromQLScanner(Array(expr.utf8))
        try scanner.scanExpression(until: nil)
        return scanner.result
    }
}

/// The scanner behind `DashboardPromQL.scan`, over the expression's UTF-8 bytes (PromQL's
/// identifiers and punctuation are ASCII; other bytes only occur inside strings and comments).
struct DashboardPromQLScanner {
    private let bytes: [UInt8]
    private var position = 0
    private(set) var result = DashboardPromQLScan()

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Character classes

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

    /// Label names: like metric names but without `:`.
    private static func isLabelName(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: ":"), isIdentifierStart(first) else { return false }
        return text.utf8.allSatisfy { isIdentifierPart($0) && $0 != UInt8(ascii: ":") }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func peek(at offset: Int) -> UInt8? { offset >= 0 && offset < bytes.count ? bytes[offset] : nil }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    // MARK: Recording

    private mutating func recordMetric(_ name: String) {
        if !result.metricNames.contains(name) { result.metricNames.append(name) }
    }

    private mutating func recordVariable(_ name: String) {
        if !result.variables.contains(name) { result.variables.append(name) }
    }

    /// Grafana variables inside a string or window: `$name`, `${name}`, `${name:format}`, `[[name]]`.
    private mutating func recordVariables(inside text: String) {
        let chars = Array(text.utf8)
        var index = 0
        while index < chars.count {
            if chars[index] == UInt8(ascii: "$") {
                var start = index + 1
                let braced = start < chars.count && chars[start] == UInt8(ascii: "{")
                if braced { start += 1 }
                var end = start
                while end < chars.count, Self.isIdentifierPart(chars[end]), chars[end] != UInt8(ascii: ":") { end += 1 }
                if end > start, !Self.isDigit(chars[start]) { recordVariable(String(decoding: chars[start..<end], as: UTF8.self)) }
                index = max(end, index + 1)
            } else if chars[index] == UInt8(ascii: "["), index + 1 < chars.count, chars[index + 1] == UInt8(ascii: "[") {
                let start = index + 2
                var end = start
                while end < chars.count, Self.isIdentifierPart(chars[end]), chars[end] != UInt8(ascii: ":") { end += 1 }
                if end > start, !Self.isDigit(chars[start]) { recordVariable(String(decoding: chars[start..<end], as: UTF8.self)) }
                index = max(end, index + 1)
            } else {
                index += 1
            }
        }
    }

    // MARK: Skipping

    /// Skips spaces and `#` comments.
    private mutating func skipSpace() {
        while let byte = current {
            if Self.isSpace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                while let next = current, next != UInt8(ascii: "\n") { position += 1 }
            } else {
                return
            }
        }
    }

    /// Reads a string literal starting at the current quote; returns its raw contents.
    private mutating func readString() throws(DashboardPromQLError) -> String {
        let start = position
        let quote = bytes[position]
        position += 1
        let contentStart = position
        while let byte = current {
            if byte == quote {
                let contents = text(contentStart..<position)
                position += 1
                recordVariables(inside: contents)
                return contents
            }
            // Backtick strings are raw; the others have backslash escapes.
            if byte == UInt8(ascii: "\\"), quote != UInt8(ascii: "`") { position += 1 }
            position += 1
        }
        throw .unterminatedString(offset: start)
    }

    private mutating func readIdentifier() -> String {
        let start = position
        while let byte = current, Self.isIdentifierPart(byte) { position += 1 }
        return text(start..<position)
    }

    /// A number or a duration: digits, letters, dots (`0.5`, `1e3`, `0x1f`, `5m`, `1h30m`), and a
    /// sign right after an exponent's `e` (`1e-3`).
    private mutating func skipNumber() {
        while let next = current {
            if Self.isIdentifierPart(next) || next == UInt8(ascii: ".") {
                position += 1
            } else if next == UInt8(ascii: "+") || next == UInt8(ascii: "-"),
                let previous = peek(at: position - 1), previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E"),
                let digit = peek(at: position + 1), Self.isDigit(digit)
            {
                position += 1
            } else {
                return
            }
        }
    }

    /// `[...]`: a range or subquery window, or Grafana's deprecated `[[variable]]`.
    private mutating func readWindow() throws(DashboardPromQLError) {
        let start = position
        var depth = 0
        while let byte = current {
            if byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    position += 1
                    let window = text((start + 1)..<(position - 1)).trimmingSpaces()
                    result.rangeWindows.append(window)
                    recordVariables(inside: text(start..<position))
                    return
                }
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") || byte == UInt8(ascii: "{")
                || byte == UInt8(ascii: "(")
            {
                throw .unexpected("\(Character(Unicode.Scalar(byte))) inside [...]", offset: position)
            }
            position += 1
        }
        throw .unbalanced("[", offset: start)
    }

    /// `{...}` label matchers: `name op "value"` separated by commas. A matcher on `__name__` or a
    /// quoted metric name is an error: dashboards name their metrics as identifiers.
    private mutating func readMatchers() throws(DashboardPromQLError) {
        let start = position
        position += 1
        while true {
            skipSpace()
            guard let byte = current else { throw .unbalanced("{", offset: start) }
            if byte == UInt8(ascii: "}") {
                position += 1
                return
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                throw .indirectMetricName(offset: position)
            }
            guard Self.isIdentifierStart(byte) else { throw .unexpected("\(Character(Unicode.Scalar(byte))) in {...}", offset: position) }
            let nameStart = position
            let name = readIdentifier()
            guard Self.isLabelName(name) else { throw .unexpected("label name \(name)", offset: nameStart) }
            if name == "__name__" { throw .indirectMetricName(offset: nameStart) }
            skipSpace()
            // =, !=, =~, !~
            let opStart = position
            while let op = current, op == UInt8(ascii: "=") || op == UInt8(ascii: "!") || op == UInt8(ascii: "~") {
                position += 1
            }
            guard ["=", "!=", "=~", "!~"].contains(text(opStart..<position)) else {
                throw .unexpected("matcher operator \(text(opStart..<position))", offset: opStart)
            }
            skipSpace()
            guard let quote = current, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") else {
                throw .unexpected("matcher value that is not a string", offset: position)
            }
            _ = try readString()
            skipSpace()
            if current == UInt8(ascii: ",") { position += 1 }
        }
    }

    /// `(label, label, ...)` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
    private mutating func readLabelList(after keyword: String, required: Bool) throws(DashboardPromQLError) {
        skipSpace()
        guard current == UInt8(ascii: "(") else {
            if required { throw .unexpected("\(keyword) without a label list", offset: position) }
            return
        }
        let start = position
        position += 1
        while true {
            skipSpace()
            guard let byte = current else { throw .unbalanced("(", offset: start) }
            if byte == UInt8(ascii: ")") {
                position += 1
                return
            }
            if byte == UInt8(ascii: ",") {
                position += 1
                continue
            }
            let nameStart = position
            let name = readIdentifier()
            guard Self.isLabelName(name) else { throw .unexpected("label name in \(keyword) (...)", offset: nameStart) }
        }
    }

    /// Is the next token (after spaces) `(`? Does not move.
    private mutating func nextIsOpenParen() -> Bool {
        let saved = position
        skipSpace()
        defer { position = saved }
        return current == UInt8(ascii: "(")
    }

    /// Is the next token (after spaces) `by` or `without`? Does not move.
    private mutating func nextIsGrouping() -> Bool {
        let saved = position
        skipSpace()
        defer { position = saved }
        guard let byte = current, Self.isIdentifierStart(byte) else { return false }
        let word = readIdentifier().lowercased()
        return word == "by" || word == "without"
    }

    // MARK: Expressions

    /// Scans up to one of `terminators` at depth zero (not consumed) or the end; the caller checks
    /// which it was.
    mutating func scanExpression(until terminators: Set<UInt8>?) throws(DashboardPromQLError) {
        while true {
            skipSpace()
            guard let byte = current else { return }
            if let terminators, terminators.contains(byte) { return }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
                _ = try readString()
            case UInt8(ascii: "{"):
                try readMatchers()
            case UInt8(ascii: "["):
                try readWindow()
            case UInt8(ascii: "("):
                let start = position
                position += 1
                try scanExpression(until: [UInt8(ascii: ")"), UInt8(ascii: ",")])
                while current == UInt8(ascii: ",") {
                    position += 1
                    try scanExpression(until: [UInt8(ascii: ")"), UInt8(ascii: ",")])
                }
                guard current == UInt8(ascii: ")") else { throw .unbalanced("(", offset: start) }
                position += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                throw .unbalanced(String(Character(Unicode.Scalar(byte))), offset: position)
            case UInt8(ascii: ","):
                throw .unexpected(",", offset: position)
            case UInt8(ascii: "$"):
                try readVariable()
            case _ where Self.isDigit(byte):
                skipNumber()
            case UInt8(ascii: "."):
                guard let next = peek(at: position + 1), Self.isDigit(next) else { throw .unexpected(".", offset: position) }
                skipNumber()
            case _ where Self.isIdentifierStart(byte):
                try readWord()
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"),
                UInt8(ascii: "^"), UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                UInt8(ascii: "@"):
                position += 1
            default:
                throw .unexpected("\(Character(Unicode.Scalar(byte)))", offset: position)
            }
        }
    }

    /// `$name`, `${name}` or `${name:format}` outside strings (a whole expression or argument).
    private mutating func readVariable() throws(DashboardPromQLError) {
        let start = position
        position += 1
        if current == UInt8(ascii: "{") {
            position += 1
            let name = readIdentifier()
            while let byte = current, byte != UInt8(ascii: "}") { position += 1 }
            guard current == UInt8(ascii: "}"), !name.isEmpty else { throw .unbalanced("${", offset: start) }
            position += 1
            recordVariable(name.split(separator: ":").first.map(String.init) ?? name)
        } else {
            var end = position
            while let next = peek(at: end), Self.isIdentifierPart(next), next != UInt8(ascii: ":") { end += 1 }
            guard end > position, let first = current, !Self.isDigit(first) else { throw .unexpected("$", offset: start) }
            recordVariable(text(position..<end))
            position = end
        }
    }

    /// An identifier: keyword, label-list keyword, aggregation, function, or metric name.
    private mutating func readWord() throws(DashboardPromQLError) {
        let word = readIdentifier()
        let lowered = word.lowercased()
        if DashboardPromQL.keywords.contains(lowered) { return }
        if DashboardPromQL.labelListKeywords.contains(lowered) {
            let optional = lowered == "group_left" || lowered == "group_right"
            try readLabelList(after: lowered, required: !optional)
            return
        }
        if DashboardPromQL.aggregations.contains(lowered), nextIsOpenParen() || nextIsGrouping() { return }
        if word == "label_values", nextIsOpenParen() {
            try readLabelValues()
            return
        }
        if nextIsOpenParen() {
            guard DashboardPromQL.functions.contains(word) else { throw .unknownFunction(word) }
            return
        }
        recordMetric(word)
    }

    /// Grafana's `label_values(label)` or `label_values(selector, label)`: the last argument is a label name.
    private mutating func readLabelValues() throws(DashboardPromQLError) {
        skipSpace()
        let open = position
        position += 1
        skipSpace()
        // One argument: just a label name.
        let saved = position
        if let byte = current, Self.isIdentifierStart(byte) {
            let name = readIdentifier()
            skipSpace()
            if current == UInt8(ascii: ")"), Self.isLabelName(name) {
                position += 1
                return
            }
        }
        position = saved
        try scanExpression(until: [UInt8(ascii: ",")])
        guard current == UInt8(ascii: ",") else { throw .unbalanced("label_values(", offset: open) }
        position += 1
        skipSpace()
        let labelStart = position
        let label = readIdentifier()
        guard Self.isLabelName(label) else { throw .unexpected("label name in label_values", offset: labelStart) }
        skipSpace()
        guard current == UInt8(ascii: ")") else { throw .unbalanced("label_values(", offset: open) }
        position += 1
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
