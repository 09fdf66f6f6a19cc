import AgentSimulation
import Testing

/// --long-pause-user, and the page-load spacing that keeps high-speed runs within what the exporter
/// can order (SimulationConfiguration.minimumPageLifetime and pageSettleTime).
@Suite struct LongPauseAndPagingTests {
    @Test func aLongPauseUserPausesFromLoginToLogout() {
        let plain = ContactCenter(SimulationConfiguration(agents: 3, seed: 9, span: 2400, startEpoch: 0))
        let stuck = ContactCenter(SimulationConfiguration(agents: 3, seed: 9, span: 2400, startEpoch: 0, longPauseUsers: ["sim002"]))
        let script = stuck.scripts[1]
        let events = script.pushes.map(\.event.rawValue)
        #expect(Array(events.prefix(5)) == ["ingroup_screen_open", "ingroup_screen_closed", "logged_in", "pause_code_open", "logged_out"])
        #expect(events.count == 5 || events.last == "logged_out_complete" && events.count == 6)
        let session = script.sessions[0]
        #expect(script.sessions.count == 1)
        #expect(script.totals.stateSeconds.pause == session.logout - session.login)
        #expect(script.totals.stateSeconds.total == script.totals.stateSeconds.pause)
        #expect(script.totals.calls == 0)
        #expect(session.logout >= 2400 - 30)
        #expect(stuck.scripts[0] == plain.scripts[0])
        #expect(stuck.scripts[2] == plain.scripts[2])
    }

    @Test(arguments: Array(UInt64(1)...30))
    func pageLoadsKeepTheirDistanceAndSettle(seed: UInt64) {
        let center = ContactCenter(
            SimulationConfiguration(agents: 6, seed: seed, span: 7200, startEpoch: 0, minimumPageLifetime: 900, pageSettleTime: 40))
        for script in center.scripts {
            var pageStart: Int?
            for push in script.pushes {
                if push.event == .ingroupScreenOpen {
                    if let pageStart { #expect(push.time - pageStart > 900, "\(script.user) at \(push.time)") }
                    pageStart = push.time
                } else if push.counter >= 3 {
                    #expect(push.time >= pageStart! + 40, "\(script.user) \(push.event) at \(push.time)")
                }
            }
        }
    }
}
