/// Hostile input quoted back in a rejection message: bounded and on one line.
public enum Echo {
    /// The most characters (Unicode scalars) of one input shown in a message.
    public static let limit = 64

    /// `text` with control characters and line separators shown as `?`, cut to `limit`
    /// characters with a trailing `…` when longer.
    public static func text(_ text: some StringProtocol) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(limit) {
            result.append(FieldText.isControlOrSeparator(scalar) ? "?" : scalar)
        }
        if !text.unicodeScalars.dropFirst(limit).isEmpty {
            result.append("…")
        }
        return String(result)
    }

    /// `text` echoed between single quotes.
    static func quoted(_ text: some StringProtocol) -> String {
        "'" + self.text(text) + "'"
    }
}
