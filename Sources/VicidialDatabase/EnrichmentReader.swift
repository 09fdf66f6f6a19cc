/// Reads the agent directory from VICIdial's database, over one connection it keeps between
/// polls and opens again after a failure. Blocking; used by the poller's thread only.
public final class EnrichmentReader {
    private let dsn: DatabaseDSN
    private let password: () throws(DatabaseError) -> String
    private let timeout: Int
    private var connection: MariaDBConnection?

    /// `password` is asked for at each connect (so a rotated password file is picked up);
    /// `timeout` bounds the connect and each read and write, in whole seconds.
    public init(dsn: DatabaseDSN, timeout: Int, password: @escaping () throws(DatabaseError) -> String) {
        self.dsn = dsn
        self.timeout = timeout
        self.password = password
    }

    /// The live agents, and the `vicidial_users` rows of `trackedUsers`. After an error the
    /// connection is dropped; the next poll connects again.
    public func poll(trackedUsers: [String]) throws(DatabaseError) -> AgentDirectory {
        do throws(DatabaseError) {
            let connection: MariaDBConnection
            if let open = self.connection {
                connection = open
            } else {
                connection = try MariaDBConnection(dsn, password: try password(), timeout: timeout)
                self.connection = connection
            }
            var directory = AgentDirectory()
            for row in try connection.rows(EnrichmentQueries.liveAgents) {
                guard row.count == 5, let user = row[0] else { continue }
                directory.liveAgents[user] = AgentDirectory.LiveAgent(
                    campaign: row[1] ?? "", status: row[2] ?? "", pauseCode: row[3] ?? "",
                    agentLogID: row[4].flatMap { UInt32($0) })
            }
            let quoted = trackedUsers.map(connection.quoted)
            for start in stride(from: 0, to: quoted.count, by: EnrichmentQueries.usersPerQuery) {
                let batch = quoted[start..<min(start + EnrichmentQueries.usersPerQuery, quoted.count)]
                for row in try connection.rows(EnrichmentQueries.users(batch)) {
                    guard row.count == 3, let user = row[0] else { continue }
                    directory.users[user] = AgentDirectory.User(fullName: row[1] ?? "", userGroup: row[2] ?? "")
                }
            }
            return directory
        } catch {
            connection = nil
            throw error
        }
    }
}
