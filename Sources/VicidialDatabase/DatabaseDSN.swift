/// Where VICIdial's database is, from `--vicidial.db-dsn`:
/// `mysql://USER@HOST[:PORT][/DATABASE][?socket=PATH]` (`mariadb://` too).
///
/// The password is never part of it: it comes from `--vicidial.db-password-file`, so it stays
/// out of the process's command line (`ps`), the logs and every error message. A DSN that
/// carries one (`USER:PASSWORD@`) is refused. With `socket=`, the client connects through
/// that Unix socket and the host and port are not used.
public struct DatabaseDSN: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var socket: String?

    public static let defaultPort = 3306
    /// VICIdial's own database name.
    public static let defaultDatabase = "asterisk"

    public init(user: String, host: String, port: Int = defaultPort, database: String = defaultDatabase, socket: String? = nil) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.socket = socket
    }

    /// Parses `text`; the error says what is wrong, without repeating a password it may hold.
    public init(parsing text: String) throws(DatabaseDSNError) {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else {
            throw .init("it must start with mysql:// (mysql://USER@HOST:PORT/DATABASE)")
        }
        let scheme = text[..<colon].lowercased()
        guard scheme == "mysql" || scheme == "mariadb" else {
            throw .init("unknown scheme \(Self.quoted(scheme)): use mysql:// or mariadb://")
        }
        var rest = text[text.index(colon, offsetBy: 3)...]
        var query: Substring = ""
        if let questionMark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: questionMark)...]
            rest = rest[..<questionMark]
        }
        guard let at = rest.lastIndex(of: "@") else { throw .init("it names no user: mysql://USER@HOST") }
        let userPart = rest[..<at]
        if userPart.contains(":") {
            throw .init("it carries a password: put the password in --vicidial.db-password-file, not in the DSN")
        }
        guard !userPart.isEmpty else { throw .init("it names no user: mysql://USER@HOST") }
        user = try Self.percentDecoded(userPart, what: "user")
        var location = rest[rest.index(after: at)...]
        database = Self.defaultDatabase
        if let slash = location.firstIndex(of: "/") {
            let name = location[location.index(after: slash)...]
            if !name.isEmpty { database = try Self.percentDecoded(name, what: "database") }
            location = location[..<slash]
        }
        (host, port) = try Self.hostAndPort(location)
        socket = nil
        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0] == "socket", !pair[1].isEmpty else {
                throw .init("unknown parameter \(Self.quoted(String(pair[0]))): the only one is socket=PATH")
            }
            socket = try Self.percentDecoded(pair[1], what: "socket")
        }
        if socket == nil && host.isEmpty { throw .init("it names no host: mysql://USER@HOST, or ?socket=PATH") }
    }

    /// The DSN as given, without the password it never holds: safe to log.
    public var description: String {
        let name = host.contains(":") ? "[\(host)]" : host
        guard let socket else { return "mysql://\(user)@\(name):\(port)/\(database)" }
        return "mysql://\(user)@\(name)/\(database)?socket=\(socket)"  // no port: a socket has none
    }

    private static func hostAndPort(_ text: Substring) throws(DatabaseDSNError) -> (String, Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .init("an IPv6 host must be closed by ]") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .init("unexpected text after the IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let portText else { return (String(host), defaultPort) }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw .init("port \(quoted(String(portText))) is not a number from 1 to 65535")
        }
        return (String(host), port)
    }

    private static func percentDecoded(_ text: Substring, what: String) throws(DatabaseDSNError) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
                    let value = UInt8(String(decoding: [utf8[high], utf8[utf8.index(after: high)]], as: UTF8.self), radix: 16)
                else { throw .init("the \(what) holds a % that is not followed by two hex digits") }
                bytes.append(value)
                index = utf8.index(high, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func quoted(_ text: String) -> String {
        "\"" + String(text.prefix(64)) + "\""
    }
}

/// Why `--vicidial.db-dsn` cannot be used.
public struct DatabaseDSNError: Error, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
