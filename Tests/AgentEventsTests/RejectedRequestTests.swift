import AgentEvents
import Testing

/// Bad requests with the exact status, reason label and admin message each one gets.
struct RejectedRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let request: Request
        let status: Int
        let reason: String
        let message: String
        var testDescription: String { name }
    }

    static let userHint = "; the Agent Push URL must contain user=--A--user--B-- with nothing else in that value"
    static let eventHint =
        "; event names are lowercase letters, digits and _ (e.g. state_ready) and the Agent Push URL must "
        + "contain event=--A--event--B--"
    static let jsonHint =
        #"; send one object such as {"user":"6666","event":"state_ready","counter":3,"epoch":1764140000}"#
    static let placeholderHint =
        ": VICIdial did not substitute it; check the Agent Push URL in System Settings "
        + "(placeholders are --A--name--B--)"
    static let missingUser = "missing or empty field 'user': the Agent Push URL must contain user=--A--user--B--"
    static let missingEvent = "missing or empty field 'event': the Agent Push URL must contain event=--A--event--B--"
    static let emptyRequest =
        "empty request: no body and no query string; the Agent Push URL must carry the fields, "
        + "e.g. ?user=--A--user--B--&event=--A--event--B--&message=--A--message--B--"
    static let supportedTypes =
        ": send application/x-www-form-urlencoded (as the agent screen and get2post.php do), application/json, "
        + "or a GET query string"
    static let unreplacedURL =
        "user=--A--user--B--&event=--A--event--B--&message=--A--message--B--&lead_id=--A--lead_id--B--"
        + "&counter=--A--counter--B--&epoch=--A--epoch--B--&agent_log_id=--A--agent_log_id--B--"

    static let cases: [Case] = [
        Case(
            name: "missing user", request: .screen("event=state_ready&counter=3"),
            status: 400, reason: "missing_user", message: missingUser),
        Case(
            name: "empty user", request: .screen("user=&event=state_ready"),
            status: 400, reason: "missing_user", message: missingUser),
        Case(
            name: "blank user", request: .screen("user=+++&event=state_ready"),
            status: 400, reason: "missing_user", message: missingUser),
        Case(
            name: "missing event", request: .screen("user=6666&message=READY"),
            status: 400, reason: "missing_event", message: missingEvent),
        Case(
            name: "21-character user", request: .screen("user=abcdefghij0123456789X&event=state_ready"),
            status: 400, reason: "invalid_user",
            message: "invalid field 'user': it is 21 characters long, more than 20: 'abcdefghij0123456789X'"
                + userHint),
        Case(
            name: "user with NUL", request: .screen("user=6666%00&event=state_ready"),
            status: 400, reason: "invalid_user",
            message: "invalid field 'user': it contains control character U+0000: '6666?'" + userHint),
        Case(
            name: "user with line feed", request: .screen("user=66%0A66&event=state_ready"),
            status: 400, reason: "invalid_user",
            message: "invalid field 'user': it contains control character U+000A: '66?66'" + userHint),
        Case(
            name: "user with C1 control", request: .screen("user=66%C2%9B66&event=state_ready"),
            status: 400, reason: "invalid_user",
            message: "invalid field 'user': it contains control character U+009B: '66?66'" + userHint),
        Case(
            name: "event Logged_In", request: .screen("user=6666&event=Logged_In"),
            status: 400, reason: "invalid_event",
            message: "invalid field 'event': 'Logged_In' holds characters other than a-z, 0-9 and _" + eventHint),
        Case(
            name: "event with a space", request: .screen("user=6666&event=call+answered"),
            status: 400, reason: "invalid_event",
            message: "invalid field 'event': 'call answered' holds characters other than a-z, 0-9 and _" + eventHint),
        Case(
            name: "event of 65 characters", request: .screen("user=6666&event=" + String(repeating: "a", count: 65)),
            status: 400, reason: "invalid_event",
            message: "invalid field 'event': it is 65 characters long, more than 64: '"
                + String(repeating: "a", count: 64) + "…'" + eventHint),
        Case(
            name: "event placeholder", request: .screen("user=6666&event=--A--event--B--"),
            status: 400, reason: "unreplaced_placeholder",
            message: "field 'event' holds the literal placeholder --A--event--B--" + placeholderHint),
        Case(
            name: "nothing substituted", request: .screen(unreplacedURL),
            status: 400, reason: "unreplaced_placeholder",
            message: "field 'user' holds the literal placeholder --A--user--B--" + placeholderHint),
        Case(
            name: "misspelled placeholder", request: .screen("user=--A--usr--B--&event=state_ready"),
            status: 400, reason: "unreplaced_placeholder",
            message: "field 'user' holds the literal placeholder --A--usr--B--" + placeholderHint),
        Case(
            name: "placeholder beats a missing user", request: .screen("event=state_ready&counter=--A--counter--B--"),
            status: 400, reason: "unreplaced_placeholder",
            message: "field 'counter' holds the literal placeholder --A--counter--B--" + placeholderHint),
        Case(
            name: "placeholder inside a value",
            request: .screen("user=6666&event=state_ready&lead_id=12--A--lead--B--"),
            status: 400, reason: "unreplaced_placeholder",
            message: "field 'lead_id' holds the literal placeholder --A--lead--B--" + placeholderHint),
        Case(
            name: "malformed JSON", request: .json(#"{"user":"#),
            status: 400, reason: "malformed_json", message: "malformed JSON body: not valid JSON" + jsonHint),
        Case(
            name: "JSON array", request: .json(#"[{"user":"6666","event":"state_ready"}]"#),
            status: 400, reason: "malformed_json",
            message: "malformed JSON body: the top level is not an object" + jsonHint),
        Case(
            name: "JSON string", request: .json(#""user=6666""#),
            status: 400, reason: "malformed_json",
            message: "malformed JSON body: the top level is not an object" + jsonHint),
        Case(
            name: "JSON nested field", request: .json(#"{"user":{"id":"6666"},"event":"state_ready"}"#),
            status: 400, reason: "malformed_json",
            message: "malformed JSON body: field 'user' is not a string, a number or null" + jsonHint),
        Case(
            name: "JSON boolean field", request: .json(#"{"user":"6666","event":"state_ready","counter":true}"#),
            status: 400, reason: "malformed_json",
            message: "malformed JSON body: field 'counter' is not a string, a number or null" + jsonHint),
        Case(
            name: "multipart form",
            request: .post(body: Array("--x\r\n".utf8), contentType: "multipart/form-data; boundary=x"),
            status: 415, reason: "unsupported_content_type",
            message: "unsupported Content-Type 'multipart/form-data'" + supportedTypes),
        Case(
            name: "hostile Content-Type",
            request: .post(
                body: Array("user=6666".utf8),
                contentType: "text/html\r\nX-Evil: 1" + String(repeating: "z", count: 500)),
            status: 415, reason: "unsupported_content_type",
            message: "unsupported Content-Type 'text/html??X-Evil: 1" + String(repeating: "z", count: 44) + "…'"
                + supportedTypes),
        Case(
            name: "empty POST without query", request: .post(body: [], contentType: Request.screenContentType),
            status: 400, reason: "empty_request", message: emptyRequest),
        Case(
            name: "GET without query", request: .get(query: nil),
            status: 400, reason: "empty_request", message: emptyRequest),
        Case(
            name: "GET with empty query", request: .get(query: ""),
            status: 400, reason: "empty_request", message: emptyRequest),
        Case(
            // The trailing line feed is trimmed as white space.
            name: "hostile long user",
            request: .screen("user=" + String(repeating: "A%0A", count: 5000) + "&event=state_ready"),
            status: 400, reason: "invalid_user",
            message: "invalid field 'user': it is 9999 characters long, more than 20: '"
                + String(repeating: "A?", count: 32) + "…'" + userHint),
        Case(
            // The leading U+2028 is trimmed as white space.
            name: "hostile long event",
            request: .screen("user=6666&event=" + String(repeating: "%E2%80%A8x", count: 5000)),
            status: 400, reason: "invalid_event",
            message: "invalid field 'event': it is 9999 characters long, more than 64: '"
                + String(repeating: "x?", count: 32) + "…'" + eventHint),
    ]

    @Test(arguments: cases)
    func rejects(_ testCase: Case) {
        let result = testCase.request.decode()
        guard case .failure(let rejection) = result else {
            Issue.record("accepted: \(result)")
            return
        }
        #expect(rejection.status == testCase.status)
        #expect(rejection.reason == testCase.reason)
        #expect(rejection.message == testCase.message)
        #expect(rejection.message.isOneLine)
        #expect(rejection.message.count <= 300)
    }

    @Test func hostileMessageIsKeptOnOneLineAndBounded() throws {
        let body = "user=6666&event=agent_alert&message=" + String(repeating: "x%0D%0A%E2%80%A9", count: 5000)
        let event = try Request.screen(body).decode().get()
        #expect(event.message.unicodeScalars.count == 1024)
        #expect(event.message.isOneLine)
    }
}
