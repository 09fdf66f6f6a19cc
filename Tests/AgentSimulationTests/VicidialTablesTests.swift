import Testing

@testable import AgentSimulation

/// The SQL the simulator runs as VICIdial's server, statement by statement.
@Suite struct VicidialTablesTests {
    static func push(_ event: SimulatedEvent, at epoch: Int64, user: String = "sim002") -> SimulatedPush {
        SimulatedPush(user: user, event: event, counter: 0, epoch: epoch, agentLogID: 1, time: 0)
    }

    @Test func aLoginAPauseAndTwoCodesAsPauseCodeSubmitRecordsThem() {
        var tables = VicidialTables(users: ["sim001", "sim002"])
        #expect(tables.statements(for: Self.push(.loggedIn, at: 1000)) == [
            "DELETE FROM vicidial_live_agents WHERE user = 'sim002'",
            "INSERT INTO vicidial_agent_log (agent_log_id, user, server_ip, event_time, campaign_id, pause_epoch, wait_epoch, user_group, sub_status, pause_type) VALUES (5100001, 'sim002', '10.0.0.1', FROM_UNIXTIME(1000), 'OUTB', 1000, 1000, 'SUPPORT', 'LOGIN', 'SYSTEM')",
            "INSERT INTO vicidial_live_agents (user, server_ip, lead_id, campaign_id, status, pause_code, agent_log_id) VALUES ('sim002', '10.0.0.1', 0, 'OUTB', 'PAUSED', 'LOGIN', 5100001)",
        ])
        #expect(tables.statements(for: Self.push(.stateReady, at: 1010)) == [
            "UPDATE vicidial_live_agents SET status = 'READY', pause_code = '' WHERE user = 'sim002'"
        ])
        #expect(tables.statements(for: Self.push(.statePaused, at: 1020)) == [
            "INSERT INTO vicidial_agent_log (agent_log_id, user, server_ip, event_time, campaign_id, pause_epoch, wait_epoch, user_group, sub_status, pause_type) VALUES (5100002, 'sim002', '10.0.0.1', FROM_UNIXTIME(1020), 'OUTB', 1020, 1020, 'SUPPORT', NULL, 'UNDEFINED')",
            "UPDATE vicidial_live_agents SET status = 'PAUSED', pause_code = '', agent_log_id = 5100002 WHERE user = 'sim002'",
        ])
        // The first code of the pause goes on its row; sim002 (index 1) starts at the second code.
        #expect(tables.statements(for: Self.push(.pauseCodeOpen, at: 1022)) == [
            "UPDATE vicidial_agent_log SET sub_status = 'LUNCH', pause_type = 'AGENT' WHERE agent_log_id = 5100002",
            "UPDATE vicidial_live_agents SET pause_code = 'LUNCH', agent_log_id = 5100002 WHERE user = 'sim002'",
        ])
        // Another code in the same pause: a new row from that second.
        #expect(tables.statements(for: Self.push(.pauseCodeOpen, at: 1050)) == [
            "INSERT INTO vicidial_agent_log (agent_log_id, user, server_ip, event_time, campaign_id, pause_epoch, wait_epoch, user_group, sub_status, pause_type) VALUES (5100003, 'sim002', '10.0.0.1', FROM_UNIXTIME(1050), 'OUTB', 1050, 1050, 'SUPPORT', 'TRAIN', 'AGENT')",
            "UPDATE vicidial_live_agents SET pause_code = 'TRAIN', agent_log_id = 5100003 WHERE user = 'sim002'",
        ])
        #expect(tables.statements(for: Self.push(.callAnswered, at: 1100)) == [
            "UPDATE vicidial_live_agents SET status = 'INCALL' WHERE user = 'sim002'"
        ])
        #expect(tables.statements(for: Self.push(.agentAlert, at: 1101)).isEmpty)
        #expect(tables.statements(for: Self.push(.loggedOut, at: 1200)) == ["DELETE FROM vicidial_live_agents WHERE user = 'sim002'"])
        #expect(tables.statements(for: Self.push(.loggedIn, at: 1300, user: "someone-else")).isEmpty)
    }

    @Test func resetClearsTheRosterAndWritesItsUsers() {
        let tables = VicidialTables(users: ["sim001", "sim002"])
        #expect(tables.reset() == [
            "DELETE FROM vicidial_live_agents WHERE user IN ('sim001','sim002')",
            "DELETE FROM vicidial_agent_log WHERE user IN ('sim001','sim002')",
            "DELETE FROM vicidial_users WHERE user IN ('sim001','sim002')",
            "INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES ('sim001', 'x', 'Simulated agent 1', 'SALES')",
            "INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES ('sim002', 'x', 'Simulated agent 2', 'SUPPORT')",
        ])
    }

    @Test func literalsEscapeQuotesAndBackslashes() {
        #expect(VicidialTables.literal(#"O'Neil \ x"#) == #"'O\'Neil \\ x'"#)
    }
}
