import AgentLedger
import AgentSimulation
import ArgumentParser
import DefaultPort
import Dispatch
import Foundation
import PrometheusDuration
import VicidialDatabase

@main
struct AgentSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vicidial-agent-sim",
        abstract: "Simulates a contact center's VICIdial agent screens pushing agent events to vicidial-exporter.",
        discussion: """
            Agents log in during the first minutes, take auto-dial/inbound and manual calls ending every way VICIdial \
            ends them, pause, take breaks, reload the screen now and then, and all log out by the end of the run. \
            The same --seed gives the same pushes and totals.

            Time: simulated time runs --speed times faster than real time and reaches the real clock at the end of \
            the run, so epochs lie in the past by up to (speed - 1) x duration seconds: the exporter's \
            --agent.max-clock-skew (default \(DurationArgument(seconds: exporterMaxClockSkew))) must exceed that, or it distrusts the epochs.
            READY heartbeats (agent_alert CHECK-FOR-CALL) come every --heartbeat-interval of simulated time; VICIdial \
            sends one a second, which at --speed 60 would be 60 requests per second per ready agent.
            Delivery: each push leaves at its scaled time plus a random delay below --jitter, so an agent's pushes \
            overtake each other as the browser's do; the exporter reorders them by counter within its \
            --agent.reorder-window (default \(DurationArgument(seconds: exporterReorderWindow))), and its totals equal the ones printed only when --jitter is below it. \
            Acceleration squeezes many simulated seconds into the jitter, so three bounds keep the reordering within \
            what a browser does and the exporter expects: a push overtakes at most 7 earlier pushes of its agent, a new \
            page's pushes from counter 3 on follow its first one (the agent acts (speed x jitter) + 1 simulated seconds \
            after a page load at the earliest), and an agent reloads its screen at most once per 10 simulated minutes \
            or speed x (2s + jitter), whichever is longer (the exporter cannot tell apart two page loads reaching it \
            within one reorder window).

            Output: stdout gets one JSON object, {"agents": {USER: {"state_seconds": {"pause", "wait", "talk", "dead", \
            "dispo"}, "calls", "dispositions": {STATUS: n}, "logins", "logouts": {REASON: n}, "events": {EVENT: n}}}, \
            "sent": n, "failed": n}, with the totals the exporter must hold once the run is over (maps list non-zero \
            counts only); progress goes to stderr. The exit code is 1 when any push failed (non-2xx or connection error).
            """
    )

    @Option(help: "The exporter's address: IP:PORT or [IPv6]:PORT.")
    var target = TargetHostPort(host: "127.0.0.1", port: defaultExporterPort)

    @Option(help: "The path events are pushed to.")
    var path = "/event"

    @Option(help: "How pushes travel: agent-screen (form POST as the browser sends it through a proxy), get2post (VICIdial's relay), get, json.")
    var transport = PushTransport.agentScreen

    @Option(help: "Number of agents.")
    var agents = 50

    @Option(help: "User IDs are this prefix and a number: sim001, sim002, ...")
    var usersPrefix = "sim"

    @Option(help: "Seed of every random choice: the same seed gives the same pushes and totals.")
    var seed: UInt64 = 1

    @Option(help: "Simulated seconds per real second (at least 1); 60 runs a simulated hour per real minute.")
    var speed = 1.0

    @Option(help: "Real length of the run; every agent has logged out by its end.")
    var duration = DurationArgument(argument: "60s")!

    @Option(help: "Real delay, random below this, added to each push's time; keep it below the exporter's --agent.reorder-window.")
    var jitter = DurationArgument(argument: "200ms")!

    @Option(help: "Simulated time between READY heartbeats (whole seconds, at least 1s).")
    var heartbeatInterval = DurationArgument(argument: "5s")!

    @Option(help: "A user who pauses right after login and stays paused until the end (for 'paused too long' alerts); repeatable.")
    var longPauseUser: [String] = []

    @Option(help: "Sender threads; each agent's pushes go through one of them on the agent's own keep-alive connection. Default: agents, at most 16.")
    var senders: Int?

    @Option(help: ArgumentHelp(
        "Write the pushes to this file instead of sending them: one request per line in delivery order, CR LF written as \\r\\n (for load generators such as Benchmarks/push-mix.lua); the totals still go to stdout.",
        valueName: "file"))
    var writePushes: String?

    @Option(name: .customLong("vicidial.db-dsn"), help: ArgumentHelp(
        "Also play VICIdial's server: write the agents' vicidial_users, vicidial_live_agents and vicidial_agent_log rows (user groups, campaigns, pause codes) to this database, mysql://USER@HOST:PORT/DATABASE, as the run goes (for an exporter with enrichment). It needs INSERT, UPDATE and DELETE on those tables; the simulated users' earlier rows are deleted first.",
        valueName: "dsn"))
    var databaseDSN: String?

    @Option(name: .customLong("vicidial.db-password-file"), help: "File holding that database user's password.")
    var databasePasswordFile: String?

    /// The exporter's default --agent.reorder-window, which --jitter must stay below.
    static let exporterReorderWindow = LedgerConfiguration().reorderWindow
    /// The exporter's default --agent.max-clock-skew: epochs further in the past are distrusted.
    static let exporterMaxClockSkew = LedgerConfiguration().maxClockSkew

    private var span: Int { Int(duration.seconds * speed) }

    /// The exporter cannot separate two page loads of an agent within one reorder window: keep an agent's
    /// page loads further apart in real time than the window, the jitter and a second of slack.
    private var minimumPageLifetime: Int {
        max(SimulationConfiguration.defaultMinimumPageLifetime, Int((speed * (Self.exporterReorderWindow + jitter.seconds + 1)).rounded(.up)))
    }

    /// The jitter in simulated seconds, and one more: no push of a new page overtakes its first ones.
    private var pageSettleTime: Int { Int((speed * jitter.seconds).rounded(.up)) + 1 }

    func validate() throws {
        guard agents >= 1 else { throw ValidationError("--agents must be at least 1") }
        guard speed.isFinite, speed >= 1 else { throw ValidationError("--speed must be at least 1: simulated time must not run ahead of the real clock") }
        guard duration.seconds * speed < Double(Int32.max) else { throw ValidationError("--duration x --speed is too long") }
        guard span >= SimulationConfiguration.minimumSpan else {
            throw ValidationError("--duration x --speed must cover at least \(SimulationConfiguration.minimumSpan) simulated seconds")
        }
        guard heartbeatInterval.seconds >= 1 else { throw ValidationError("--heartbeat-interval must be at least 1s") }
        guard (senders ?? 1) >= 1 else { throw ValidationError("--senders must be at least 1") }
        if let databaseDSN {
            do {
                _ = try DatabaseDSN(parsing: databaseDSN)
            } catch {
                throw ValidationError("--vicidial.db-dsn: \(error)")
            }
        } else if databasePasswordFile != nil {
            throw ValidationError("--vicidial.db-password-file needs --vicidial.db-dsn")
        }
        let users = Set(SimulationConfiguration(agents: agents, usersPrefix: usersPrefix, span: span, startEpoch: 0).users)
        guard users.allSatisfy({ $0.count <= 20 }) else { throw ValidationError("user IDs longer than VICIdial's 20 characters") }
        for user in longPauseUser where !users.contains(user) {
            throw ValidationError("--long-pause-user \(user) is not one of the simulated users (\(usersPrefix)...)")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)  // a closed connection is an error to retry, not a reason to die
        let schedule = Schedule(speed: speed, jitter: jitter.seconds)
        let wallStart = RealClock.wall()
        let start = RealClock.monotonic()
        let startEpoch = schedule.startEpoch(wallClockStart: wallStart, span: span)
        let center = ContactCenter(
            SimulationConfiguration(
                agents: agents, usersPrefix: usersPrefix, seed: seed, span: span, startEpoch: startEpoch,
                heartbeatInterval: Int(heartbeatInterval.seconds), longPauseUsers: Set(longPauseUser),
                minimumPageLifetime: minimumPageLifetime, pageSettleTime: pageSettleTime))
        let deliveries = schedule.deliveries(of: center.scripts, seed: seed)

        logLine(
            "\(agents) agents, \(deliveries.count) pushes over \(span) simulated seconds (epochs \(startEpoch)...\(startEpoch + Int64(span))) "
                + "in \(duration), \(transport.rawValue) to \(target)\(path)")
        let maxLag = Int(Double(span) - schedule.offset(of: span))
        if Double(maxLag) > Self.exporterMaxClockSkew {
            logLine("epochs lag the real clock by up to \(maxLag) s: run the exporter with --agent.max-clock-skew above that")
        }
        if jitter.seconds >= Self.exporterReorderWindow {
            logLine("jitter \(jitter) is not below the exporter's default \(DurationArgument(seconds: Self.exporterReorderWindow)) reorder window: totals may differ")
        }

        if let writePushes {
            try PushFile.write(deliveries, transport: transport, host: target.description, path: path, to: writePushes)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(RunReport(agents: center.totals, sent: 0, failed: 0)), as: UTF8.self))
            logLine("wrote \(deliveries.count) pushes to \(writePushes)")
            return
        }

        let tally = SendTally()
        let group = DispatchGroup()
        let databaseFailures = SendTally()
        if let lane = try databaseLane(center: center, schedule: schedule) {
            group.enter()
            Thread {
                var lane = lane
                for _ in 0..<lane.run(from: start) { databaseFailures.recordFailure("database statement") }
                group.leave()
            }.start()
        }
        let laneCount = senders ?? min(agents, 16)
        for lane in 0..<laneCount {
            let sender = SenderLane(
                deliveries: deliveries.filter { $0.agent % laneCount == lane }, transport: transport, target: target, path: path)
            group.enter()
            Thread {
                sender.run(from: start, tally: tally)
                group.leave()
            }.start()
        }
        while group.wait(timeout: .now() + 5) == .timedOut {
            let elapsed = RealClock.monotonic() - start
            logLine("\(Int(elapsed))s: simulated \(Int(elapsed * speed))/\(span) s, \(tally.sent) sent, \(tally.failed) failed")
        }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let report = RunReport(agents: center.totals, sent: tally.sent, failed: tally.failed)
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
        logLine("done: \(report.sent) sent, \(report.failed) failed")
        if databaseFailures.failed > 0 { logLine("\(databaseFailures.failed) database statements failed") }
        if report.failed > 0 || databaseFailures.failed > 0 { throw ExitCode.failure }
    }

    /// With --vicidial.db-dsn: the simulated users' rows reset, ready to run.
    private func databaseLane(center: ContactCenter, schedule: Schedule) throws -> DatabaseLane? {
        guard let databaseDSN, let dsn = try? DatabaseDSN(parsing: databaseDSN) else { return nil }
        do throws(DatabaseError) {
            let password = try databasePasswordFile.map { path throws(DatabaseError) in try Self.readPassword(path) } ?? ""
            let lane = DatabaseLane(
                dsn: dsn, password: password, scripts: center.scripts, schedule: schedule,
                tables: VicidialTables(users: center.scripts.map(\.user)))
            try lane.prepare()
            logLine("writing VICIdial's agent tables to \(dsn)")
            return lane
        } catch {
            logLine("cannot use the database: \(error)")
            throw ExitCode.failure
        }
    }

    private static func readPassword(_ path: String) throws(DatabaseError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DatabaseError(.query, "cannot read the password file \(path)")
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}

/// --transport takes the raw values: agent-screen, get2post, get, json.
extension PushTransport: ExpressibleByArgument {}
