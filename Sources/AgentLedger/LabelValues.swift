/// Turns free-text event messages into bounded label values.
enum LabelValues {
    /// The label value that stands for everything unrecognised or beyond a cap.
    static let other = "other"
    /// The pause-code label of a pause VICIdial recorded no code for (`sub_status` NULL or '').
    /// Longer than any VICIdial code (6 characters), so no code can take it.
    static let noPauseCode = "no_code"
    /// The pause-code label of seconds whose code could not be learned (the database did not
    /// answer within `pauseCodeWait`); as long, for the same reason.
    static let unknownPauseCode = "unknown"

    /// logged_out reasons VICIdial sends; anything else is `other`.
    static let logoutReasons: Set<String> = ["NORMAL", "CLOSE", "API", "SHIFT", "READY_TIMEOUT", "TIMEOUT"]

    static func logoutReason(_ message: String) -> String {
        let reason = message.trimmingSpaces().uppercased()
        return logoutReasons.contains(reason) ? reason : other
    }

    /// A disposition status as VICIdial stores it (vicidial_statuses.status, up to 6 characters,
    /// letters, digits, `_` and `-`; a little slack allowed). Anything else is `other`.
    static func dispositionStatus(_ message: String) -> String {
        let status = message.trimmingSpaces()
        let plausible = (1...20).contains(status.utf8.count)
            && status.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x5F || byte == 0x2D
            }
        return plausible ? String(status) : other
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
