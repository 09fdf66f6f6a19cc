/// Why a poll of VICIdial's database failed; `reason` is the label of
/// `vicidial_exporter_db_errors_total`.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, CaseIterable {
        /// The server cannot be reached: refused, unknown host, no socket, connect timeout.
        case connect
        /// The server refused the user, its password or its access to the database or a table.
        case auth
        /// A table enrichment reads does not exist (not a VICIdial database, or another version).
        case missingTable = "missing_table"
        /// The connection was lost or a query timed out (`--vicidial.db-poll-interval` bounds it).
        case lost
        /// Any other error from a query (a column missing, the password file unreadable, ...).
        case query
    }

    public let reason: Reason
    /// The client library's message, or ours; never holds the password.
    public let message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// The reason for a MariaDB client or server error number.
    public static func reason(forErrorNumber number: UInt32) -> Reason {
        switch number {
        case 1044, 1045, 1142, 1143: .auth  // ER_DBACCESS_DENIED, ER_ACCESS_DENIED, ER_TABLEACCESS_DENIED, ER_COLUMNACCESS_DENIED
        case 1146: .missingTable  // ER_NO_SUCH_TABLE
        case 2002, 2003, 2005: .connect  // CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_UNKNOWN_HOST
        case 2006, 2013: .lost  // CR_SERVER_GONE_ERROR, CR_SERVER_LOST (a read timeout too)
        default: .query
        }
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
