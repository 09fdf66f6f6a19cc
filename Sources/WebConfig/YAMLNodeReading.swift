/// Strict reading of `YAMLNode`s: every mapping key must be known, and scalars are read as Go's
/// yaml.v2 reads them into string and bool fields.
struct YAMLMapping {
    let path: String
    /// In file order; keys are unique (`YAMLNode.parse` refuses a repeated one).
    let entries: [(key: String, keyLine: Int, value: YAMLNode)]

    /// `node` as a mapping named `path` ("tls_server_config"); nil for YAML null.
    init?(_ node: YAMLNode, path: String) throws(WebConfigError) {
        if isNull(node) { return nil }
        guard case .mapping(let entries, _) = node else {
            throw WebConfigError(line: node.line, "\(path) must be a mapping of keys to values")
        }
        self.path = path
        self.entries = entries
    }

    /// Throws for the first key that is not in `known`.
    func refuseUnknownKeys(_ known: Set<String>) throws(WebConfigError) {
        for entry in entries where !known.contains(entry.key) {
            throw WebConfigError(
                line: entry.keyLine,
                "unknown key \(quoted(entry.key)) in \(path); known keys: \(known.sorted().joined(separator: ", "))")
        }
    }

    func node(_ key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }

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
            throw WebConfigError(line: node(key)?.line, "\(childPath(key)) must be true or false, got \(quoted(text))")
        }
    }

    /// A list of strings; nil when absent or null.
    func strings(_ key: String) throws(WebConfigError) -> [String]? {
        guard let node = node(key) else { return nil }
        let path = childPath(key)
        if isNull(node) { return nil }
        guard case .sequence(let sequence, _) = node else {
            throw WebConfigError(line: node.line, "\(path) must be a list of strings")
        }
        var values: [String] = []
        for item in sequence {
            guard let value = try scalarString(item, path: path) else {
                throw WebConfigError(line: item.line, "\(path) holds an empty entry")
            }
            values.append(value)
        }
        return values
    }
}

/// A scalar's text; nil for YAML null.
func scalarString(_ node: YAMLNode, path: String) throws(WebConfigError) -> String? {
    if isNull(node) { return nil }
    guard case .scalar(let text, _, _) = node else {
        throw WebConfigError(line: node.line, "\(path) must be a single value, not a list or mapping")
    }
    return text
}

func isNull(_ node: YAMLNode) -> Bool {
    guard case .scalar(let text, plain: true, _) = node else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(text)
}

/// Text from the file as it appears in an error: quoted, escaped, and cut after `limit`
/// characters, so every error stays one line (with the default, well under 1 KiB), and a private
/// key pasted where a file name belongs is not logged whole.
public func quoted(_ text: String, limit: Int = quotedLength) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars.prefix(limit) {
        escaped += scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\"
            ? String(scalar) : scalar.escaped(asASCII: true)
    }
    return "\"" + escaped + (text.unicodeScalars.count > limit ? "…" : "") + "\""
}

/// At most 10 characters each once escaped (`\u{10FFFF}`): 640 in all.
public let quotedLength = 64
