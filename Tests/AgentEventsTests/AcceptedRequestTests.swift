import AgentEvents
import Testing

/// Request shapes seen from the agent screen, get2post.php and other senders, and the exact
/// event each one decodes to.
struct AcceptedRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let request: Request
        let expected: AgentEvent
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "agent screen heartbeat",
            request: .screen(
                "user=6666&event=agent_alert&message=CHECK-FOR-CALL+COMPLETE+1234&lead_id=&counter=57"
                    + "&epoch=1764140000&agent_log_id=881"),
            expected: AgentEvent(
                user: "6666", event: .known(.agentAlert), message: "CHECK-FOR-CALL COMPLETE 1234",
                leadID: nil, counter: 57, epoch: 1_764_140_000, agentLogID: 881)
        ),
        Case(
            // session_id server_ip version build script; the screen deleted the colon in "2.14-917a".
            name: "logged_in with + separators",
            request: .screen(
                "user=6666&event=logged_in&message=8600051+10.10.1.15+2.14-917a+250326-1521+vicidial.php"
                    + "&lead_id=&counter=2&epoch=1764140000&agent_log_id=880"),
            expected: AgentEvent(
                user: "6666", event: .known(.loggedIn),
                message: "8600051 10.10.1.15 2.14-917a 250326-1521 vicidial.php",
                counter: 2, epoch: 1_764_140_000, agentLogID: 880)
        ),
        Case(
            // The message "a=b&c" splits into a piece "message=a=b" and a key "c" without value.
            name: "message holding & and =",
            request: .screen("user=6666&event=agent_alert&message=a=b&c&lead_id=5&counter=3"),
            expected: AgentEvent(
                user: "6666", event: .known(.agentAlert), message: "a=b", leadID: 5, counter: 3)
        ),
        Case(
            // First occurrence wins, so the message's "&counter=99" is taken as the counter: the
            // ledger then orders this event as number 99, and nothing on the wire can tell.
            name: "message holding &counter=99 before the real counter",
            request: .screen(
                "user=6666&event=update_fields&message=x&counter=99&lead_id=7&counter=58"
                    + "&epoch=1764140001&agent_log_id=881"),
            expected: AgentEvent(
                user: "6666", event: .known(.updateFields), message: "x", leadID: 7, counter: 99,
                epoch: 1_764_140_001, agentLogID: 881)
        ),
        Case(
            name: "relay: raw spaces and a stray %",
            request: .relay(
                "user=6666&event=agent_alert&message=100% done for lead 12&lead_id=12&counter=60"
                    + "&epoch=1764140002&agent_log_id=881"),
            expected: AgentEvent(
                user: "6666", event: .known(.agentAlert), message: "100% done for lead 12",
                leadID: 12, counter: 60, epoch: 1_764_140_002, agentLogID: 881)
        ),
        Case(
            name: "relay: %41 decodes, an incomplete % stays",
            request: .relay("user=6666&event=agent_alert&message=Plan %41 at 50%4&counter=61"),
            expected: AgentEvent(
                user: "6666", event: .known(.agentAlert), message: "Plan A at 50%4", counter: 61)
        ),
        Case(
            // A raw + that meant plus still decodes as a space, as form decoding must.
            name: "relay: raw + is a space",
            request: .relay("user=6666&event=agent_alert&message=1+1 = 2&counter=62"),
            expected: AgentEvent(user: "6666", event: .known(.agentAlert), message: "1 1 = 2", counter: 62)
        ),
        Case(
            name: "relay: a ? in the message cut everything after it",
            request: .relay("user=6666&event=agent_alert&message=Are you there"),
            expected: AgentEvent(user: "6666", event: .known(.agentAlert), message: "Are you there")
        ),
        Case(
            name: "relay: extra uniqueid and type fields",
            request: .relay(
                "uniqueid=1764140000.881&type=event&user=6666&event=state_ready&message=READY&lead_id="
                    + "&counter=4&epoch=1764140000&agent_log_id=881"),
            expected: AgentEvent(
                user: "6666", event: .known(.stateReady), message: "READY", counter: 4,
                epoch: 1_764_140_000, agentLogID: 881)
        ),
        Case(
            name: "GET query",
            request: .get(
                query: "user=6666&event=state_paused&message=PAUSED&lead_id=&counter=5&epoch=1764140003"
                    + "&agent_log_id=882"),
            expected: AgentEvent(
                user: "6666", event: .known(.statePaused), message: "PAUSED", counter: 5,
                epoch: 1_764_140_003, agentLogID: 882)
        ),
        Case(
            name: "empty POST body with the fields in the query",
            request: .post(body: [], contentType: Request.screenContentType, query: "user=6666&event=state_ready"),
            expected: AgentEvent(user: "6666", event: .known(.stateReady))
        ),
        Case(
            name: "query fills in only what the body lacks",
            request: .post(
                body: Array("user=6666&event=dispo_set&message=SALE".utf8), contentType: Request.screenContentType,
                query: "user=7777&counter=9"),
            expected: AgentEvent(user: "6666", event: .known(.dispoSet), message: "SALE", counter: 9)
        ),
        Case(
            name: "no Content-Type is a form",
            request: .post(body: Array("user=6666&event=state_ready".utf8), contentType: nil),
            expected: AgentEvent(user: "6666", event: .known(.stateReady))
        ),
        Case(
            name: "text/plain is a form",
            request: .post(body: Array("user=6666&event=state_ready".utf8), contentType: "Text/Plain; charset=utf-8"),
            expected: AgentEvent(user: "6666", event: .known(.stateReady))
        ),
        Case(
            name: "JSON with numbers",
            request: .json(
                #"{"user":"6666","event":"dispo_set","message":"SALE","lead_id":12345,"counter":61,"#
                    + #""epoch":1764140010,"agent_log_id":881}"#),
            expected: AgentEvent(
                user: "6666", event: .known(.dispoSet), message: "SALE", leadID: 12345, counter: 61,
                epoch: 1_764_140_010, agentLogID: 881)
        ),
        Case(
            name: "JSON with strings",
            request: .json(
                #"{"user":"6666","event":"call_answered","message":"M1234","lead_id":"12345","#
                    + #""counter":"62","epoch":"1764140011","agent_log_id":"881"}"#,
                contentType: "Application/JSON; charset=utf-8"),
            expected: AgentEvent(
                user: "6666", event: .known(.callAnswered), message: "M1234", leadID: 12345, counter: 62,
                epoch: 1_764_140_011, agentLogID: 881)
        ),
        Case(
            name: "JSON null is absent and unknown nested fields are ignored",
            request: .json(#"{"user":"6666","event":"state_ready","lead_id":null,"extra":{"a":[1,true]}}"#),
            expected: AgentEvent(user: "6666", event: .known(.stateReady))
        ),
        Case(
            name: "invalid UTF-8 byte in the message",
            request: .post(
                body: Array("user=6666&event=agent_alert&message=caf".utf8) + [0xFF] + Array("e".utf8),
                contentType: Request.relayContentType),
            expected: AgentEvent(user: "6666", event: .known(.agentAlert), message: "caf\u{FFFD}e")
        ),
        Case(
            name: "percent-encoded invalid UTF-8 in the message",
            request: .screen("user=6666&event=agent_alert&message=caf%FFe"),
            expected: AgentEvent(user: "6666", event: .known(.agentAlert), message: "caf\u{FFFD}e")
        ),
        Case(
            name: "unknown well-formed event",
            request: .screen("user=6666&event=agent_coffee_break&counter=7"),
            expected: AgentEvent(user: "6666", event: .unknown("agent_coffee_break"), counter: 7)
        ),
        Case(
            name: "20-character user",
            request: .screen("user=abcdefghij0123456789&event=state_ready"),
            expected: AgentEvent(user: "abcdefghij0123456789", event: .known(.stateReady))
        ),
        Case(
            name: "non-ASCII user, raw",
            request: .relay("user=jürgen&event=state_ready"),
            expected: AgentEvent(user: "jürgen", event: .known(.stateReady))
        ),
        Case(
            name: "non-ASCII user, percent-encoded",
            request: .screen("user=j%C3%BCrgen&event=state_ready"),
            expected: AgentEvent(user: "jürgen", event: .known(.stateReady))
        ),
        Case(
            name: "user and event trimmed",
            request: .screen("user=+6666+&event=%20state_ready%09"),
            expected: AgentEvent(user: "6666", event: .known(.stateReady))
        ),
        Case(
            name: "percent-encoded field name",
            request: .screen("us%65r=6666&event=state_ready"),
            expected: AgentEvent(user: "6666", event: .known(.stateReady))
        ),
        Case(
            name: "field names are case-sensitive",
            request: .screen("USER=1&user=6666&event=state_ready&Event=x"),
            expected: AgentEvent(user: "6666", event: .known(.stateReady))
        ),
        Case(
            name: "message control characters become spaces, tab stays",
            request: .screen("user=6666&event=agent_alert&message=a%0Ab%09c%7Fd%C2%85e"),
            expected: AgentEvent(user: "6666", event: .known(.agentAlert), message: "a b\tc d e")
        ),
        Case(
            name: "empty pieces and keys without value are ignored",
            request: .screen("&&user=6666&&lone&event=dispo_set_twice&message&"),
            expected: AgentEvent(user: "6666", event: .known(.dispoSetTwice))
        ),
    ]

    @Test(arguments: cases)
    func decodes(_ testCase: Case) throws {
        let event = try testCase.request.decode().get()
        #expect(event == testCase.expected)
    }
}
