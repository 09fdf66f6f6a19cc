import CYAML

/// A YAML document as far as a web config needs it: mappings with string keys, lists and
/// scalars, each with its line. Built from libyaml's events by a loop with an explicit stack, so
/// neither deep nesting nor anchors can make reading it costly: anchors and aliases are refused
/// (a web config has no use for them, and aliases can multiply a small file into a huge tree),
/// and so are keys that are not scalars and documents after the first.
indirect enum YAMLNode: Sendable {
    case scalar(String, plain: Bool, line: Int)
    case mapping([(key: String, keyLine: Int, value: YAMLNode)], line: Int)
    case sequence([YAMLNode], line: Int)

    /// Nesting deeper than a web config could use is refused.
    static let maxDepth = 64

    var line: Int {
        switch self {
        case .scalar(_, _, let line), .mapping(_, let line), .sequence(_, let line): line
        }
    }

    /// The document in `text`; nil when it holds none (an empty file, only comments).
    static func parse(_ text: String) throws(WebConfigError) -> YAMLNode? {
        // libyaml checks each %TAG directive against all earlier ones (quadratic time in a large
        // file); a web config has no use for directives.
        if text.hasPrefix("%") || text.contains("\n%") {
            let line = text.hasPrefix("%") ? 1 : text.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.hasPrefix("%") }.map { $0 + 1 }
            throw WebConfigError(line: line, "YAML directives (lines starting with %) are not supported")
        }
        // On the heap: libyaml keeps the parser's own address while it reads.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw WebConfigError("not valid YAML: out of memory") }
        defer { yaml_parser_delete(parser) }
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { (buffer) throws(WebConfigError) -> YAMLNode? in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var builder = Builder()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(parser, &event) == 1 else { throw problem(parser.pointee) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return builder.document }
                try builder.take(event)
            }
        }
    }

    /// libyaml's own words and place; its "context" is left out, as it can quote the file.
    private static func problem(_ parser: yaml_parser_t) -> WebConfigError {
        let text = parser.problem.map { String(cString: $0) } ?? "cannot be read"
        return WebConfigError(line: Int(parser.problem_mark.line) + 1, "not valid YAML: \(text)")
    }
}

/// Turns libyaml's events into `YAMLNode`s.
private struct Builder {
    /// A mapping or list being read; a class, so adding to it does not copy what it holds.
    private final class Open {
        let isMapping: Bool
        let line: Int
        var entries: [(key: String, keyLine: Int, value: YAMLNode)] = []
        var keys: Set<String> = []
        var pendingKey: (key: String, line: Int)?
        var items: [YAMLNode] = []

        init(isMapping: Bool, line: Int) {
            self.isMapping = isMapping
            self.line = line
        }

        var node: YAMLNode { isMapping ? .mapping(entries, line: line) : .sequence(items, line: line) }
    }

    private var stack: [Open] = []
    private(set) var document: YAMLNode?
    private var documents = 0

    mutating func take(_ event: yaml_event_t) throws(WebConfigError) {
        let line = Int(event.start_mark.line) + 1
        let anchored = "YAML anchors and aliases are not supported"
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            guard documents == 1 else { throw WebConfigError(line: line, "a web config is one YAML document, not several") }
        case YAML_ALIAS_EVENT:
            throw WebConfigError(line: line, anchored)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            guard scalar.anchor == nil else { throw WebConfigError(line: line, anchored) }
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            try add(.scalar(value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line))
        case YAML_MAPPING_START_EVENT:
            guard event.data.mapping_start.anchor == nil else { throw WebConfigError(line: line, anchored) }
            try open(Open(isMapping: true, line: line))
        case YAML_SEQUENCE_START_EVENT:
            guard event.data.sequence_start.anchor == nil else { throw WebConfigError(line: line, anchored) }
            try open(Open(isMapping: false, line: line))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            try add(stack.removeLast().node)
        default:
            break // stream start, document end
        }
    }

    private mutating func open(_ container: Open) throws(WebConfigError) {
        if let parent = stack.last, parent.isMapping, parent.pendingKey == nil {
            throw WebConfigError(line: container.line, "a mapping key must be a string, not a list or mapping")
        }
        guard stack.count < YAMLNode.maxDepth else {
            throw WebConfigError(line: container.line, "nested deeper than \(YAMLNode.maxDepth) levels")
        }
        stack.append(container)
    }

    private mutating func add(_ node: YAMLNode) throws(WebConfigError) {
        guard let parent = stack.last else {
            document = node
            return
        }
        guard parent.isMapping else {
            parent.items.append(node)
            return
        }
        if let pending = parent.pendingKey {
            parent.entries.append((pending.key, pending.line, node))
            parent.pendingKey = nil
            return
        }
        guard case .scalar(let key, _, let keyLine) = node else {
            throw WebConfigError(line: node.line, "a mapping key must be a string, not a list or mapping")
        }
        guard parent.keys.insert(key).inserted else {
            throw WebConfigError(line: keyLine, "the key \(quoted(key)) appears twice in one mapping")
        }
        parent.pendingKey = (key, keyLine)
    }
}
