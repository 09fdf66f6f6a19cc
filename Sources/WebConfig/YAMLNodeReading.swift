import Yams

/// Strict reading of Yams' nodes: every mapping key must be known, and scalars are read as Go's
/// yaml.v2 reads them into string and bool fields. Aliases resolve to their anchored node
/// (shared, not copied), and only known keys are walked, each to one fixed depth, so an alias
/// cannot multiply the work beyond the size of the file.
struct YAMLMapping {
    let path: String
    let entries: [(key: String, value: Node, line: Int?)]

    /// `node` as a mapping named `path` ("tls_server_config"); nil for YAML null.
    init?(_ node: Node, path: String) throws(WebConfigError) {
        if isNull(node) { return nil }
        guard case .mapping(let mapping) = node else {
            throw WebConfigError(line: line(of: node), "\(path) must be a mapping of keys to values")
        }
        // Yams refuses duplicate keys itself (see `WebConfiguration.refusal`).
        var entries: [(key: String, value: Node, line: Int?)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw WebConfigError(line: line(of: keyNode), "\(path) has a key that is not a string")
            }
            entries.append((key.string, value, line(of: keyNode)))
        }
        self.path = path
        self.entries = entries
    }

    /// Throws for the first key that is not in `known`.
    func refuseUnknownKeys(_ known: Set<String>) throws(WebConfigError) {
        for entry in entries where !known.contains(entry.key) {
            throw WebConfigError(
                line: entry.line,
                "unknown key \(quoted(entry.key)) in \(path); known keys: \(known.sorted().joined(separator: ", "))")
        }
    }

    func node(_ key: String) -> Node? { entries.first { $0.key == key }?.value }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A string value; nil when absent or null.
    func string(_ key: String) throws(WebConfigError) -> String? {
        guard let node = node(key) else { return nil }
        return try scalarString(node, path: childPath(key))
    }

    /// A boolean value as yaml.v2 spells one; nil when absent or null.
    func bool(_ key: String) throws(WebConfigError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
        default:
            throw WebConfigError(line: node(key).flatMap(line(of:)), "\(childPath(key)) must be true or false, got \(quoted(text))")
        }
    }

    /// A list of strings; nil when absent or null.
    func strings(_ key: String) throws(WebConfigError) -> [String]? {
        guard let node = node(key) else { return nil }
        let path = childPath(key)
        if isNull(node) { return nil }
        guard case .sequence(let sequence) = node else {
            throw WebConfigError(line: line(of: node), "\(path) must be a list of strings")
        }
        var values: [String] = []
        for item in sequence {
            guard let value = try scalarString(item, path: path) else {
                throw WebConfigError(line: line(of: item), "\(path) holds an empty entry")
            }
            values.append(value)
        }
        return values
    }
}

/// A scalar's text; nil for YAML null.
func scalarString(_ node: Node, path: String) throws(WebConfigError) -> String? {
    if isNull(node) { return nil }
    guard case .scalar(let scalar) = node else {
        throw WebConfigError(line: line(of: node), "\(path) must be a single value, not a list or mapping")
    }
    return scalar.string
}

func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
}

func line(of node: Node) -> Int? { node.mark.map { $0.line } }

func quoted(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars.prefix(80) {
        escaped += scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\"
            ? String(scalar) : scalar.escaped(asASCII: true)
    }
    return "\"" + escaped + (text.unicodeScalars.count > 80 ? "…" : "") + "\""
}
