/// Label values escaped ahead of time, so a value written on every scrape (a user name) is
/// escaped once and then copied.
public enum LabelValueEscaping {
    /// `value` as it goes between the quotes of a label (`\`, `"` and newline escaped).
    public static func escaped(_ value: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.append(escaping: value, escapingQuotes: true)
        return bytes
    }
}
