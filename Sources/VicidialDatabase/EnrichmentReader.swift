import AgentLedger

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

    /// What one poll asks for.
    public struct Request: Sendable {
        /// The agents whose `vicidial_users` rows are read.
        public var trackedUsers: [String]
        /// The agents whose pause-code rows are read, with the rows already known for them
        /// (their codes may have changed since); a tracked agent `vicidial_live_agents` shows
        /// PAUSED is added, with its current row.
        public var pauseCodeUsers: [String: [UInt32]]

        public init(trackedUsers: [String], pauseCodeUsers: [String: [UInt32]]) {
            self.trackedUsers = trackedUsers
            self.pauseCodeUsers = pauseCodeUsers
        }
    }

    /// What one poll read.
    public struct Result: Sendable, Equatable {
        public var directory: AgentDirectory
        /// For every agent whose pause-code rows were asked for (an empty list when none was
        /// found): the pause part of those rows.
        public var pauseCodeRows: [String: [PauseCodeRow]]
    }

    /// Reads the live agents, the tracked agents' `vicidial_users` rows and the pause-code rows
    /// asked for. After an error the connection is dropped; the next poll connects again.
    public func poll(_ request: Request) throws(DatabaseError) -> Result {
        do throws(DatabaseError) {
            let connection = try openConnection()
            var directory = AgentDirectory()
            for row in try connection.rows(EnrichmentQueries.liveAgents) {
                guard row.count == 5, let user = row[0] else { continue }
                directory.liveAgents[user] = AgentDirectory.LiveAgent(
                    campaign: row[1] ?? "", status: row[2] ?? "", pauseCode: row[3] ?? "",
                    agentLogID: row[4].flatMap { UInt32($0) })
            }
            var quoted: [String] = []
            for user in request.trackedUsers { quoted.append(try connection.quoted(user)) }
            for start in stride(from: 0, to: quoted.count, by: EnrichmentQueries.usersPerQuery) {
                let batch = quoted[start..<min(start + EnrichmentQueries.usersPerQuery, quoted.count)]
                for row in try connection.rows(EnrichmentQueries.users(batch)) {
                    guard row.count == 3, let user = row[0] else { continue }
                    directory.users[user] = AgentDirectory.User(fullName: row[1] ?? "", userGroup: row[2] ?? "")
                }
            }
            return Result(
                directory: directory,
                pauseCodeRows: try pauseCodeRows(request, live: directory.liveAgents, over: connection))
        } catch {
            connection = nil
            throw error
        }
    }

    /// Connects and runs every query's columns without reading a row: the tables exist and the
    /// user may read what enrichment reads. Leaves the connection open for `poll`.
    public func probe() throws(DatabaseError) {
        do throws(DatabaseError) {
            let connection = try openConnection()
            for query in EnrichmentQueries.probes { _ = try connection.rows(query) }
        } catch {
            connection = nil
            throw error
        }
    }

    /// The connection kept from the last poll, or a new one.
    private func openConnection() throws(DatabaseError) -> MariaDBConnection {
        if let connection { return connection }
        let opened = try MariaDBConnection(dsn, password: try password(), timeout: timeout)
        connection = opened
        return opened
    }

    private func pauseCodeRows(
        _ request: Request, live: [String: AgentDirectory.LiveAgent], over connection: MariaDBConnection
    ) throws(DatabaseError) -> [String: [PauseCodeRow]] {
        var wanted = request.pauseCodeUsers
        let tracked = Set(request.trackedUsers)
        for (user, agent) in live where agent.status == "PAUSED" && tracked.contains(user) && wanted[user] == nil {
            wanted[user] = []
        }
        var ids = Set(wanted.values.joined())
        for user in wanted.keys {
            if let current = live[user]?.agentLogID, current > 0 { ids.insert(current) }
        }
        var rows = wanted.mapValues { _ in [PauseCodeRow]() }
        let sorted = ids.sorted()
        for start in stride(from: 0, to: sorted.count, by: EnrichmentQueries.rowsPerQuery) {
            let batch = sorted[start..<min(start + EnrichmentQueries.rowsPerQuery, sorted.count)]
            for row in try connection.rows(EnrichmentQueries.pauseCodeRows(batch)) {
                // A row without a pause (pause_epoch NULL) says nothing about pause codes.
                guard row.count == 4, let id = row[0].flatMap({ UInt32($0) }), let user = row[1], rows[user] != nil,
                    let pauseEpoch = row[2].flatMap({ Double($0) })
                else { continue }
                rows[user]!.append(PauseCodeRow(agentLogID: id, pauseEpoch: pauseEpoch, code: row[3] ?? ""))
            }
        }
        return rows
    }
}
