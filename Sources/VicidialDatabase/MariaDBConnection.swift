import CMariaDB

/// One connection to MariaDB or MySQL through MariaDB Connector/C: connect, run a query, read
/// its rows as text. Blocking, with connect, read and write timeouts; used by one thread at a
/// time (the poller's), so it is not `Sendable`.
final class MariaDBConnection {
    private let handle: UnsafeMutablePointer<MYSQL>

    /// `mysql_library_init` is not thread-safe, so it runs once, before the first connection.
    private static let libraryInitialized: Bool = mysql_server_init(0, nil, nil) == 0

    /// Connects; `timeout` (whole seconds, at least 1) bounds the connect and each read and write.
    /// A `readOnly` session (enrichment's) refuses every write, whatever the user's grants allow.
    init(_ dsn: DatabaseDSN, password: String, timeout: Int, readOnly: Bool = true) throws(DatabaseError) {
        guard Self.libraryInitialized, let handle = mysql_init(nil) else {
            throw DatabaseError(.query, "the MariaDB client library could not be initialised")
        }
        self.handle = handle
        var seconds = UInt32(clamping: max(1, timeout))
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &seconds)
        mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &seconds)
        mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &seconds)
        if readOnly {
            _ = "SET SESSION TRANSACTION READ ONLY".withCString { mysql_options(handle, MYSQL_INIT_COMMAND, $0) }
        }
        let connected = dsn.user.withCString { user in
            password.withCString { password in
                dsn.database.withCString { database in
                    withOptionalCString(dsn.socket) { socket in
                        mysql_real_connect(
                            handle, dsn.socket == nil ? dsn.host : nil, user, password, database,
                            UInt32(dsn.port), socket, 0)
                    }
                }
            }
        }
        // On failure `deinit` closes the handle (every property is set, so it runs).
        if connected == nil { throw lastError() }
        _ = "utf8mb4".withCString { mysql_set_character_set(handle, $0) }
    }

    deinit { mysql_close(handle) }

    /// The rows of `sql`, each column as text (nil for NULL; invalid UTF-8 repaired).
    func rows(_ sql: String) throws(DatabaseError) -> [[String?]] {
        let status = sql.withCString { mysql_real_query(handle, $0, UInt(sql.utf8.count)) }
        guard status == 0 else { throw lastError() }
        guard let result = mysql_store_result(handle) else {
            if mysql_errno(handle) != 0 { throw lastError() }
            return []
        }
        defer { mysql_free_result(result) }
        let columns = Int(mysql_num_fields(result))
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result), let lengths = mysql_fetch_lengths(result) {
            rows.append((0..<columns).map { column in
                row[column].map { value in
                    String(decoding: UnsafeRawBufferPointer(start: value, count: Int(lengths[column])), as: UTF8.self)
                }
            })
        }
        if mysql_errno(handle) != 0 { throw lastError() }
        return rows
    }

    /// `text` as an SQL string literal for this connection's character set, quotes included.
    func quoted(_ text: String) throws(DatabaseError) -> String {
        let bytes = Array(text.utf8)
        var escaped = [CChar](repeating: 0, count: bytes.count * 2 + 1)
        let length = bytes.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { source in
                mysql_real_escape_string(handle, &escaped, source.baseAddress, UInt(bytes.count))
            }
        }
        // The client returns (unsigned long)-1 for text it cannot escape in this character set.
        guard length < UInt(escaped.count) else { throw DatabaseError(.query, "cannot quote a user name for the database") }
        let literal = escaped[..<Int(length)].map { UInt8(bitPattern: $0) }
        return "'" + String(decoding: literal, as: UTF8.self) + "'"
    }

    private func lastError() -> DatabaseError {
        let number = mysql_errno(handle)
        let message = mysql_error(handle).map { String(cString: $0) } ?? "error \(number)"
        return DatabaseError(DatabaseError.reason(forErrorNumber: number), message)
    }
}

private func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
