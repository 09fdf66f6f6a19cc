import Foundation

/// Line-based reading of the rule files, their unit tests and the runbook: enough for the shapes
/// used in Grafana/prometheus (one `key: value` per line, block scalars for long text), with no
/// YAML dependency. `RuleTests` cross-checks the rule count against promtool's.
enum RuleYAML {
    struct Rule {
        enum Kind { case alert, record }
        var kind: Kind
        var name: String
        var line: Int
        /// `key` → value for the keys of the rule's block (labels and annotations included);
        /// a block scalar (`>-`, `|`) is joined from its indented lines.
        var fields: [String: String]
    }

    /// The `- alert:` and `- record:` entries of a rule file, in order.
    static func rules(in text: String) -> [Rule] {
        let lines = text.components(separatedBy: "\n")
        var rules: [Rule] = []
        var blockIndent: Int?  // inside a block scalar: the indentation of its key
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix { $0 == " " }.count
            if let keyIndent = blockIndent {
                if trimmed.isEmpty || indent > keyIndent { continue }
                blockIndent = nil
            }
            if let name = value(of: "- alert:", in: trimmed) {
                rules.append(Rule(kind: .alert, name: name, line: index + 1, fields: [:]))
            } else if let name = value(of: "- record:", in: trimmed) {
                rules.append(Rule(kind: .record, name: name, line: index + 1, fields: [:]))
            } else if trimmed.hasPrefix("- name:") {
                continue
            } else if !rules.isEmpty, !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") {
                let key = String(trimmed[..<colon])
                guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
                var fieldValue = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                if ["|", "|-", ">", ">-"].contains(fieldValue) {
                    fieldValue = blockScalar(after: index, in: lines)
                    blockIndent = indent
                }
                rules[rules.count - 1].fields[key] = unquoted(fieldValue)
            }
        }
        return rules
    }

    /// What the `promtool test rules` files cover.
    struct Coverage {
        /// Alerts with a firing case whose expected annotations include `summary`.
        var firingWithSummary: Set<String> = []
        /// Alerts with a firing case at all.
        var firing: Set<String> = []
        /// Alerts with a case `exp_alerts: []`.
        var silent: Set<String> = []
        /// Every name in an `expr:` of a `promql_expr_test` (metric and recording rule names).
        var exprNames: Set<String> = []
    }

    /// Reads test files where each `alert_rule_test` item names its `alertname` before its
    /// `exp_alerts`.
    static func coverage(of texts: [String]) -> Coverage {
        var coverage = Coverage()
        for text in texts {
            var alertname: String?
            var firingAlert: String?
            for line in text.components(separatedBy: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("#") { continue }
                if let name = value(of: "alertname:", in: trimmed) ?? value(of: "- alertname:", in: trimmed) {
                    alertname = unquoted(name)
                    firingAlert = nil
                } else if trimmed.hasPrefix("- eval_time:") || trimmed.hasPrefix("- name:") {
                    firingAlert = nil
                } else if let expected = value(of: "exp_alerts:", in: trimmed) ?? (trimmed == "exp_alerts:" ? "" : nil) {
                    guard let alertname else { continue }
                    if expected == "[]" {
                        coverage.silent.insert(alertname)
                    } else {
                        coverage.firing.insert(alertname)
                        firingAlert = alertname
                    }
                } else if trimmed.hasPrefix("summary:"), let firingAlert {
                    coverage.firingWithSummary.insert(firingAlert)
                } else if let expr = value(of: "- expr:", in: trimmed) ?? value(of: "expr:", in: trimmed) {
                    coverage.exprNames.formUnion(names(in: expr))
                }
            }
        }
        return coverage
    }

    /// The alert names an `alert_rule_test` refers to, with their line numbers.
    static func testedAlertnames(in text: String) -> [(name: String, line: Int)] {
        text.components(separatedBy: "\n").enumerated().compactMap { index, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let name = value(of: "alertname:", in: trimmed) ?? value(of: "- alertname:", in: trimmed) else { return nil }
            return (unquoted(name), index + 1)
        }
    }

    /// Identifier-like words of a PromQL expression: metric names, recording rule names (with
    /// colons), labels, functions. A name is matched whole, so `:x:rate5m` is not found inside
    /// `user:x:rate5m`.
    static func names(in expression: String) -> Set<String> {
        var names: Set<String> = []
        var current = ""
        for character in expression {
            if character.isASCII, character.isLetter || character.isNumber || character == "_" || character == ":" {
                current.append(character)
            } else {
                if !current.isEmpty { names.insert(current) }
                current = ""
            }
        }
        if !current.isEmpty { names.insert(current) }
        return names
    }

    /// The GitHub anchors of a Markdown file's headings (lowercase, punctuation dropped, spaces to `-`).
    static func headingAnchors(in markdown: String) -> Set<String> {
        var anchors: Set<String> = []
        var inCode = false
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inCode.toggle() }
            guard !inCode, line.hasPrefix("#") else { continue }
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            let slug = title.lowercased().compactMap { character -> Character? in
                if character == " " { return "-" }
                if character.isLetter || character.isNumber || character == "-" || character == "_" { return character }
                return nil
            }
            anchors.insert(String(slug))
        }
        return anchors
    }

    private static func value(of key: String, in trimmedLine: String) -> String? {
        guard trimmedLine.hasPrefix(key) else { return nil }
        let rest = trimmedLine.dropFirst(key.count)
        guard rest.isEmpty || rest.first == " " else { return nil }
        let value = rest.trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    private static func unquoted(_ value: String) -> String {
        for quote in ["\"", "'"] where value.count >= 2 && value.hasPrefix(quote) && value.hasSuffix(quote) {
            return String(value.dropFirst().dropLast())
        }
        return value
    }

    /// The indented lines after a block scalar indicator, joined with spaces.
    private static func blockScalar(after index: Int, in lines: [String]) -> String {
        let indent = lines[index].prefix { $0 == " " }.count
        var parts: [String] = []
        for line in lines[(index + 1)...] {
            let lineIndent = line.prefix { $0 == " " }.count
            if !line.trimmingCharacters(in: .whitespaces).isEmpty, lineIndent <= indent { break }
            parts.append(line.trimmingCharacters(in: .whitespaces))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
