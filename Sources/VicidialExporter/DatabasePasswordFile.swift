import VicidialDatabase

/// `--vicidial.db-password-file`: the database password, the whole file but for one trailing
/// line break. Read at start and again at each connect, so a rotated password is picked up.
/// Its content is never logged or shown; errors name the file, never what it holds.
public enum DatabasePasswordFile {
    public static let maxBytes = 4096

    public static func read(_ path: String) throws(DatabaseError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, maxBytes: maxBytes)
        } catch {
            switch error {
            case .system(let reason): throw DatabaseError(.query, "cannot read the password file \(path): \(reason)")
            case .tooLarge: throw DatabaseError(.query, "the password file \(path) is longer than \(maxBytes) bytes")
            }
        }
        var password = bytes[...]
        if password.last == UInt8(ascii: "\n") { password = password.dropLast() }
        if password.last == UInt8(ascii: "\r") { password = password.dropLast() }
        return String(decoding: password, as: UTF8.self)
    }
}
