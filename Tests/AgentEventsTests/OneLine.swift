extension String {
    /// No character that starts a new line (LF, CR, VT, FF, NEL, U+2028, U+2029).
    var isOneLine: Bool {
        !contains(where: \.isNewline)
    }
}
