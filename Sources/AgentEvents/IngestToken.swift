/// The shared secret a push must carry when `--ingest.token-file` is set: as a `token` field
/// (query, form or JSON, so the Agent Push URL can hold it) or as `Authorization: Bearer`.
///
/// Compared in constant time: the time taken does not depend on how many leading bytes of a
/// guess are right, nor on where the first wrong byte is.
public struct IngestToken: Sendable, CustomStringConvertible, CustomReflectable {
    private let secret: [UInt8]

    /// Why a token file's text is refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case tooShort(Int)
        /// A character that cannot travel unchanged in a raw Agent Push URL.
        case unsafeCharacter

        public var description: String {
            switch self {
            case .empty: "is empty"
            case .tooShort(let length): "holds \(length) characters; a token needs at least \(IngestToken.minimumLength)"
            case .unsafeCharacter:
                "holds a character other than letters, digits, '-', '_', '.' and '~': the agent screen sends the URL "
                    + "unencoded, so '+', '%', '&', '#', spaces and non-ASCII would not arrive as written"
            }
        }
    }

    static let minimumLength = 16

    /// The token in a file's text, surrounding whitespace (the trailing newline) removed.
    public init(fileText: String) throws(Problem) {
        let trimmed = Array(fileText.trimmingWhitespace().utf8)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.allSatisfy(Self.isURLSafe) else { throw .unsafeCharacter }
        guard trimmed.count >= Self.minimumLength else { throw .tooShort(trimmed.count) }
        secret = trimmed
    }

    /// RFC 3986's unreserved characters.
    private static func isURLSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    public var length: Int { secret.count }

    /// Whether `candidate` is the token.
    public func accepts(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        var difference = UInt64(candidate.utf8.count ^ secret.count)
        var index = 0
        for byte in candidate.utf8 {
            // Every byte of the candidate is compared, against the secret cyclically, so a
            // candidate of the wrong length takes as long as one of the right length.
            difference |= UInt64(byte ^ secret[index % secret.count])
            index += 1
        }
        return difference == 0
    }

    /// Whether an `Authorization` header value carries the token as a bearer credential.
    public func acceptsAuthorization(_ header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return accepts(parts[1].trimmingWhitespace())
    }

    /// Never the secret: a token must not reach a log line or a page by accident.
    public var description: String { "IngestToken(\(secret.count) bytes)" }

    /// `dump` and the debugger show the description, not the bytes.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension StringProtocol {
    /// Without Foundation: drops leading and trailing spaces, tabs, carriage returns and line feeds.
    fileprivate func trimmingWhitespace() -> String {
        let whitespace: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
        let scalars = unicodeScalars
        let start = scalars.firstIndex { !whitespace.contains($0) } ?? scalars.endIndex
        let end = scalars.lastIndex { !whitespace.contains($0) }.map { scalars.index(after: $0) } ?? start
        return String(String.UnicodeScalarView(scalars[start..<Swift.max(start, end)]))
    }
}
