import AgentEvents
import Testing

/// How each optional field is read: lenient, so a bad value is dropped, never the event.
struct FieldParsingTests {
    static func decode(_ extra: String) throws -> AgentEvent {
        try Request.screen("user=6666&event=agent_alert&" + extra).decode().get()
    }

    static func decodeJSON(_ extra: String) throws -> AgentEvent {
        try Request.json(#"{"user":"6666","event":"agent_alert","# + extra + "}").decode().get()
    }

    /// Not a number: absent. A number beyond the field's range: rejected (see `edgeNumbers`).
    @Test(arguments: [
        ("57", 57), ("0", 0), ("+57+", 57), ("%2057%09", 57), ("", nil), ("+", nil), ("abc", nil),
        ("-1", nil), ("%2B5", nil), ("5.0", nil), ("0x10", nil), ("5%206", nil),
        ("2147483647", 2_147_483_647), ("0002147483647", 2_147_483_647),
    ] as [(String, Int?)])
    func counter(_ value: String, _ expected: Int?) throws {
        #expect(try Self.decode("counter=" + value).counter == expected)
    }

    /// A fractional epoch is truncated to whole seconds; zero and negatives are absent.
    @Test(arguments: [
        ("1764140000", 1_764_140_000), ("+1764140000+", 1_764_140_000), ("1764140000.5", 1_764_140_000),
        ("1764140000.999", 1_764_140_000), ("1764140000.", nil), (".5", nil), ("1764140000.5.1", nil),
        ("0", nil), ("0.5", nil), ("-5", nil), ("", nil), ("abc", nil),
        ("4294967295", 4_294_967_295), ("1", 1),
    ] as [(String, Int64?)])
    func epoch(_ value: String, _ expected: Int64?) throws {
        #expect(try Self.decode("epoch=" + value).epoch == expected)
    }

    @Test(arguments: [
        ("12345", 12345), ("+7+", 7), ("0", 0), ("4294967295", 4_294_967_295), ("", nil), ("+++", nil),
        ("A%0AB", nil), ("12a", nil), ("-3", nil),
    ] as [(String, UInt32?)])
    func identifiers(_ value: String, _ expected: UInt32?) throws {
        let event = try Self.decode("lead_id=\(value)&agent_log_id=\(value)")
        #expect(event.leadID == expected)
        #expect(event.agentLogID == expected)
    }

    /// Numbers beyond each field's range, whatever their size, are refused with `out_of_range`.
    @Test(arguments: [
        ("counter", "2147483648", 2_147_483_647), ("counter", "9223372036854775807", 2_147_483_647),
        ("counter", "9223372036854775808", 2_147_483_647), ("counter", "18446744073709551616", 2_147_483_647),
        ("epoch", "4294967296", 4_294_967_295), ("epoch", "9223372036854775807.5", 4_294_967_295),
        ("lead_id", "4294967296", 4_294_967_295), ("agent_log_id", "99999999999999999999", 4_294_967_295),
    ] as [(String, String, UInt64)])
    func edgeNumbers(_ field: String, _ value: String, _ maximum: UInt64) throws {
        let request = Request.screen("user=6666&event=agent_alert&\(field)=\(value)")
        let shown = value.split(separator: ".")[0]
        #expect(request.decode() == .failure(.outOfRange(field: field, value: String(shown), maximum: maximum)))
    }

    @Test(arguments: [
        (#""counter":3.0"#, 3), (#""counter":3.5"#, nil), (#""counter":-1"#, nil), (#""counter":-1e30"#, nil),
        (#""counter":" 12 ""#, 12), (#""counter":null"#, nil), (#""counter":2147483647"#, 2_147_483_647),
    ] as [(String, Int?)])
    func jsonCounter(_ member: String, _ expected: Int?) throws {
        #expect(try Self.decodeJSON(member).counter == expected)
    }

    /// JSON numbers beyond a field's range are refused however they are written; the message
    /// shows them in plain digits (a double's digits, beyond 2^53).
    @Test(arguments: [
        (#""counter":9223372036854775807"#, "counter", "9223372036854775807", 2_147_483_647),
        (#""counter":9223372036854775808"#, "counter", "9223372036854775808", 2_147_483_647),
        (#""counter":1e20"#, "counter", "100000000000000000000", 2_147_483_647),
        (#""counter":2.5e9"#, "counter", "2500000000", 2_147_483_647),
        (#""epoch":1.5e10"#, "epoch", "15000000000", 4_294_967_295),
        (#""lead_id":18446744073709551616"#, "lead_id", "18446744073709552000", 4_294_967_295),
    ] as [(String, String, String, UInt64)])
    func jsonNumbersBeyondTheirRange(_ member: String, _ field: String, _ shown: String, _ maximum: UInt64) {
        let request = Request.json(#"{"user":"6666","event":"agent_alert","# + member + "}")
        #expect(request.decode() == .failure(.outOfRange(field: field, value: shown, maximum: maximum)))
    }

    @Test(arguments: [
        (#""epoch":1764140000.5"#, 1_764_140_000), (#""epoch":1.76414e9"#, 1_764_140_000),
        (#""epoch":"1764140000.25""#, 1_764_140_000), (#""epoch":-1764140000"#, nil),
    ] as [(String, Int64?)])
    func jsonEpoch(_ member: String, _ expected: Int64?) throws {
        #expect(try Self.decodeJSON(member).epoch == expected)
    }

    @Test func jsonIdentifiersFromNumbers() throws {
        let event = try Self.decodeJSON(#""lead_id":12345,"agent_log_id":1.5"#)
        #expect(event.leadID == 12345)
        #expect(event.agentLogID == nil)
    }

    @Test func jsonFieldsFilledInFromTheQuery() throws {
        let request = Request.post(
            body: Array(#"{"user":"6666","event":null}"#.utf8), contentType: "application/json",
            query: "user=7777&event=state_ready&counter=4")
        #expect(try request.decode().get() == AgentEvent(user: "6666", event: .known(.stateReady), counter: 4))
    }

    @Test func messageTruncatedNotRejected() throws {
        let event = try Self.decode("message=" + String(repeating: "é", count: 2000))
        #expect(event.message == String(repeating: "é", count: 1024))
    }

    @Test func limitsAreConfigurable() throws {
        let decoder = EventDecoder(
            limits: .init(userMaxLength: 4, eventMaxLength: 9, messageMaxLength: 3))
        let event = try Request.screen("user=6666&event=dispo_set&message=SALE&lead_id=123").decode(with: decoder).get()
        #expect(event == AgentEvent(user: "6666", event: .known(.dispoSet), message: "SAL", leadID: 123))
        #expect(
            Request.screen("user=66666&event=dispo_set").decode(with: decoder)
                == .failure(.invalidUser("it is 5 characters long, more than 4: '66666'")))
        #expect(
            Request.screen("user=6666&event=state_ready").decode(with: decoder)
                == .failure(.invalidEvent("it is 11 characters long, more than 9: 'state_ready'")))
    }

    @Test(arguments: [
        "application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED;charset=utf-8",
        " application/x-www-form-urlencoded ; charset=UTF-8", "text/plain", "", "  ",
    ])
    func formContentTypes(_ contentType: String) throws {
        let request = Request.post(body: Array("user=6666&event=state_ready".utf8), contentType: contentType)
        #expect(try request.decode().get() == AgentEvent(user: "6666", event: .known(.stateReady)))
    }

    @Test(arguments: ["application/jsonx", "application/xml", "multipart/form-data", "text/html; charset=utf-8"])
    func unsupportedContentTypes(_ contentType: String) {
        let request = Request.post(body: Array("user=6666&event=state_ready".utf8), contentType: contentType)
        let mediaType = String(contentType.prefix { $0 != ";" })
        #expect(request.decode() == .failure(.unsupportedContentType(mediaType)))
    }

    /// An empty body carries no encoding to refuse: the query is decoded whatever the type.
    @Test func emptyBodyIgnoresContentType() throws {
        let request = Request.post(body: [], contentType: "multipart/form-data", query: "user=6666&event=state_ready")
        #expect(try request.decode().get() == AgentEvent(user: "6666", event: .known(.stateReady)))
    }
}
