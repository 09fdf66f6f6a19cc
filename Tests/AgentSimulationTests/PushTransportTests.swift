import AgentSimulation
import Testing

/// The exact requests each transport sends.
@Suite struct PushTransportTests {
    static let awkward = SimulatedPush(
        user: "sim001", event: .agentAlert, message: #"Sale: 50$ "ok" {x}? it's a\b+c"#, leadID: "123456", counter: 4,
        epoch: 1_700_000_100, agentLogID: 880_001, time: 100)
    static let heartbeat = SimulatedPush(
        user: "sim001", event: .agentAlert, message: "CHECK-FOR-CALL COMPLETE: 7", counter: 12, epoch: 1_700_000_200,
        agentLogID: 880_002, time: 200)

    static func request(_ transport: PushTransport, _ push: SimulatedPush) -> String {
        transport.request(push, host: "127.0.0.1:9957", path: "/event")
    }

    /// The browser deletes `` ` : ; # " { } ^ $ `` and turns whitespace into `+`, and encodes nothing.
    @Test func agentScreenPostsTheBrowsersRawForm() {
        #expect(
            Self.request(.agentScreen, Self.awkward)
                == "POST /event HTTP/1.1\r\nHost: 127.0.0.1:9957\r\nUser-Agent: Mozilla/5.0\r\n"
                + "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: 124\r\n\r\n"
                + #"user=sim001&event=agent_alert&message=Sale+50+ok+x?+it's+a\b+c&lead_id=123456&counter=4&epoch=1700000100&agent_log_id=880001"#)
        #expect(
            Self.request(.agentScreen, Self.heartbeat).hasSuffix(
                "Content-Length: 120\r\n\r\nuser=sim001&event=agent_alert&message=CHECK-FOR-CALL+COMPLETE+7&lead_id=&counter=12&epoch=1700000200&agent_log_id=880002"))
    }

    /// get2post.php relays PHP's decoded fields raw (spaces stay), drops `'"\` and cuts at the first `?`.
    @Test func get2postRelaysRawFieldsCutAtTheQuestionMark() {
        #expect(
            Self.request(.get2post, Self.awkward)
                == "POST /event HTTP/1.1\r\nHost: 127.0.0.1:9957\r\nUser-Agent: VICIdial get2post\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 65\r\n\r\n"
                + "user=sim001&lead_id=123456&event=agent_alert&message=Sale 50 ok x")
        #expect(
            Self.request(.get2post, Self.heartbeat).hasSuffix(
                "Content-Length: 120\r\n\r\nuser=sim001&lead_id=&event=agent_alert&message=CHECK-FOR-CALL COMPLETE 7&counter=12&epoch=1700000200&agent_log_id=880002"))
    }

    @Test func getPercentEncodesTheQuery() {
        #expect(
            Self.request(.get, Self.awkward)
                == "GET /event?user=sim001&event=agent_alert&message=Sale%3A%2050%24%20%22ok%22%20%7Bx%7D%3F%20it%27s%20a%5Cb%2Bc"
                + "&lead_id=123456&counter=4&epoch=1700000100&agent_log_id=880001 HTTP/1.1\r\nHost: 127.0.0.1:9957\r\n"
                + "User-Agent: vicidial-agent-sim\r\n\r\n")
    }

    @Test func jsonEscapesStringsAndSendsNumbers() {
        #expect(
            Self.request(.json, Self.awkward)
                == "POST /event HTTP/1.1\r\nHost: 127.0.0.1:9957\r\nUser-Agent: vicidial-agent-sim\r\n"
                + "Content-Type: application/json\r\nContent-Length: 157\r\n\r\n"
                + #"{"user":"sim001","event":"agent_alert","message":"Sale: 50$ \"ok\" {x}? it's a\\b+c","lead_id":"123456","counter":4,"epoch":1700000100,"agent_log_id":880001}"#)
        var controls = Self.awkward
        controls.message = "line1\nline2\tend\u{1}"
        #expect(
            Self.request(.json, controls).hasSuffix(
                #"Content-Length: 147"# + "\r\n\r\n"
                    + #"{"user":"sim001","event":"agent_alert","message":"line1\nline2\tend\u0001","lead_id":"123456","counter":4,"epoch":1700000100,"agent_log_id":880001}"#))
    }

    @Test func transportsAreNamedAsTheFlagSpellsThem() {
        #expect(PushTransport.allCases.map(\.rawValue) == ["agent-screen", "get2post", "get", "json"])
    }
}
