import AgentSimulation
import VicidialDatabase

/// Plays VICIdial's server for `--vicidial.db-dsn`: writes what it would write (`VicidialTables`)
/// as each push is due, in the agents' own order and at their scheduled times without the
/// delivery jitter (the server acts when the agent clicks; the push travels afterwards).
struct DatabaseLane: Sendable {
    let dsn: DatabaseDSN
    let password: String
    let scripts: [AgentScript]
    let schedule: Schedule
    var tables: VicidialTables

    /// Connects, clears what an earlier run left for the simulated users and writes their
    /// `vicidial_users` rows: done before the run, so a database that cannot be used stops it.
    func prepare() throws(DatabaseError) {
        let session = try SQLSession(dsn, password: password, timeout: 10)
        for statement in tables.reset() { try session.execute(statement) }
    }

    /// Runs from `start` (monotonic clock) to the last push, on its own connection; returns how
    /// many statements failed.
    mutating func run(from start: Double) -> Int {
        let session: SQLSession
        do throws(DatabaseError) {
            session = try SQLSession(dsn, password: password, timeout: 10)
        } catch {
            logLine("database: \(error)")
            return 1
        }
        let pushes = scripts.flatMap(\.pushes).enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        var failed = 0
        for (_, push) in pushes {
            RealClock.sleep(until: start + schedule.offset(of: push.time))
            for statement in tables.statements(for: push) {
                do throws(DatabaseError) {
                    try session.execute(statement)
                } catch {
                    failed += 1
                    if failed <= 5 { logLine("database: \(error) in \(statement)") }
                }
            }
        }
        return failed
    }
}
