/// A read-write session, for a tool that plays VICIdial's part (vicidial-agent-sim writes what
/// VICIdial's server would as its agents act). Enrichment never uses it: it only reads.
public final class SQLSession {
    private let connection: MariaDBConnection

    public init(_ dsn: DatabaseDSN, password: String, timeout: Int) throws(DatabaseError) {
        connection = try MariaDBConnection(dsn, password: password, timeout: timeout, readOnly: false)
    }

    /// Runs one statement.
    public func execute(_ sql: String) throws(DatabaseError) {
        _ = try connection.rows(sql)
    }
}
