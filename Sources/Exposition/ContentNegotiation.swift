extension ExpositionFormat {
    /// Chooses the format for a scrape from its `Accept` header (RFC 9110 §12.5.1).
    ///
    /// OpenMetrics is served only when asked for by name: an `application/openmetrics-text`
    /// range with no version or version 0.0.1 or 1.0.0, whose q-value is above zero and at
    /// least the text format's (on a tie OpenMetrics wins, since the client named it). The
    /// text format's q-value comes from the most specific range matching it: `text/plain`,
    /// else `text/*`, else `*/*`. Everything else gets the text format, which every
    /// Prometheus version reads: wildcards alone, `q=0` on OpenMetrics, and a missing,
    /// empty or unparsable header.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        var openMetricsQ: Double?
        var textMatch = (specificity: 0, q: 0.0)
        for element in accept[...].splitOutsideQuotes(on: ",") {
            guard let range = MediaRange(element) else { continue }
            if range.type == "application", range.subtype == "openmetrics-text" {
                guard range.version.map(Self.openMetricsVersions.contains) ?? true else { continue }
                openMetricsQ = max(openMetricsQ ?? 0, range.q)
            } else if let specificity = range.textSpecificity,
                      specificity > textMatch.specificity
                        || (specificity == textMatch.specificity && range.q > textMatch.q) {
                textMatch = (specificity, range.q)
            }
        }
        guard let openMetricsQ, openMetricsQ > 0, openMetricsQ >= textMatch.q else {
            return .prometheusText
        }
        return .openMetrics
    }

    /// 0.0.1 is the draft version Prometheus still lists; the output is the same.
    private static let openMetricsVersions: Set<Substring> = ["0.0.1", "1.0.0"]
}

/// One element of an `Accept` header: `type/subtype;param=value;q=0.5`.
private struct MediaRange {
    var type: Substring
    var subtype: Substring
    var version: Substring?
    var q = 1.0

    /// Parses one comma-separated element; nil for anything malformed.
    init?(_ text: Substring) {
        var parts = text.splitOutsideQuotes(on: ";").makeIterator()
        guard let mediaType = parts.next().map(Self.trimmed) else { return nil }
        let typeAndSubtype = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        guard typeAndSubtype.count == 2, !typeAndSubtype[0].isEmpty, !typeAndSubtype[1].isEmpty else {
            return nil
        }
        type = Substring(typeAndSubtype[0].lowercased())
        subtype = Substring(typeAndSubtype[1].lowercased())
        while let parameter = parts.next() {
            if Self.trimmed(parameter).isEmpty { continue }  // RFC 9110 allows empty parameters.
            guard let equals = parameter.firstIndex(of: "=") else { return nil }
            let name = Self.trimmed(parameter[..<equals]).lowercased()
            let value = Self.unquoted(Self.trimmed(parameter[parameter.index(after: equals)...]))
            if name == "q" {
                guard let q = Double(value), q >= 0, q <= 1 else { return nil }
                self.q = q
                break  // Parameters after q are accept-extensions, not media type parameters.
            }
            if name == "version" { version = value }
        }
    }

    /// How specifically this range names the text format (higher wins), or nil if it does not.
    var textSpecificity: Int? {
        switch (type, subtype) {
        case ("text", "plain"): 3
        case ("text", "*"): 2
        case ("*", "*"): 1
        default: nil
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }

    /// Drops the quotes of a quoted-string; the values compared here never hold escapes.
    private static func unquoted(_ text: Substring) -> Substring {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return text }
        return text.dropFirst().dropLast()
    }
}

extension Substring {
    /// Splits on `separator` where it is not inside a quoted-string (RFC 9110 §5.6.4).
    fileprivate func splitOutsideQuotes(on separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = startIndex
        var inQuotes = false
        var escaped = false
        for index in indices {
            let character = self[index]
            if escaped {
                escaped = false
            } else if inQuotes, character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == separator, !inQuotes {
                pieces.append(self[start..<index])
                start = self.index(after: index)
            }
        }
        pieces.append(self[start...])
        return pieces
    }
}
