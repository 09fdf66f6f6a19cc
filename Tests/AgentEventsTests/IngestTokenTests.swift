import AgentEvents
import Testing

/// `--ingest.token-file`: the token through every way a push can carry it, and refusals that
/// never echo it.
struct IngestTokenTests {
    static let secret = "s3cret-Token_4242"
    static let decoder = EventDecoder(token: try! IngestToken(fileText: secret + "\n"))
    static let fields = "user=6666&event=state_ready&message=READY&lead_id=&counter=3&epoch=1764140000&agent_log_id=881"
    static let expected = AgentEvent(
        user: "6666", event: .known(.stateReady), message: "READY", counter: 3, epoch: 1_764_140_000, agentLogID: 881)

    @Test func theFileTextIsTrimmedAndNeverShown() throws {
        #expect(try IngestToken(fileText: "  abcdefghijklmnop \r\n").accepts("abcdefghijklmnop"))
        let token = try IngestToken(fileText: Self.secret)
        #expect("\(token)" == "IngestToken(17 bytes)")
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("115"), "dump shows no bytes: \(dumped)")  // 115 is "s"
    }

    @Test(arguments: [
        ("", IngestToken.Problem.empty), (" \n\t", .empty), ("abcdefghijklmno", .tooShort(15)),
        ("abcdefgh+ijklmnop", .unsafeCharacter), ("abcdefgh%20klmnop", .unsafeCharacter),
        ("abcdefgh&ijklmnop", .unsafeCharacter), ("abcdefgh ijklmnop", .unsafeCharacter), ("abcdefghéijklmnop", .unsafeCharacter),
        ("ab\u{FFFD}cdefghijklmnop", .unsafeCharacter),
    ])
    func unusableTokensAreRefused(_ text: String, _ problem: IngestToken.Problem) {
        #expect(throws: problem) { try IngestToken(fileText: text) }
    }

    @Test(arguments: [
        ("s3cret-Token_4242", true), ("s3cret-Token_424", false), ("s3cret-Token_42421", false), ("S3cret-Token_4242", false),
        ("", false), ("s3cret-Token_4242s3cret-Token_4242", false), ("x", false),
    ])
    func onlyTheExactTokenIsAccepted(_ candidate: String, _ accepted: Bool) {
        #expect((try! IngestToken(fileText: Self.secret)).accepts(candidate) == accepted)
    }

    @Test(arguments: [
        ("Bearer s3cret-Token_4242", true), ("bearer s3cret-Token_4242", true), ("Bearer  s3cret-Token_4242 ", true),
        ("Basic s3cret-Token_4242", false), ("Bearer", false), ("s3cret-Token_4242", false), ("Bearer wrong", false),
    ])
    func bearerAuthorization(_ header: String, _ accepted: Bool) {
        #expect((try! IngestToken(fileText: Self.secret)).acceptsAuthorization(header) == accepted)
    }

    /// Every transport with the right token decodes to the same event; the token is dropped.
    @Test(arguments: [
        Request.get(query: "token=\(secret)&" + fields),
        Request.screen("token=\(secret)&" + fields),
        Request.relay("uniqueid=1764140000.881&type=event&token=\(secret)&" + fields),
        Request.json(#"{"token":"\#(secret)","user":"6666","event":"state_ready","message":"READY","counter":3,"epoch":1764140000,"agent_log_id":881}"#),
        Request.post(body: Array(fields.utf8), contentType: Request.screenContentType, query: "token=\(secret)"),
    ])
    func theRightTokenInAnyTransportIsAccepted(_ request: Request) {
        #expect(request.decode(with: Self.decoder) == .success(Self.expected))
    }

    @Test func aBearerHeaderIsAcceptedInsteadOfTheField() {
        #expect(Self.decoder.decode(query: Self.fields, authorization: "Bearer \(Self.secret)") == .success(Self.expected))
        #expect(
            Self.decoder.decode(
                body: Array(Self.fields.utf8), contentType: Request.screenContentType, query: nil,
                authorization: "Bearer \(Self.secret)") == .success(Self.expected))
    }

    /// Missing or wrong, in every transport: 401, checked before the fields are validated, and
    /// the message names the flag, never the token.
    @Test(arguments: [
        Request.get(query: fields),
        Request.get(query: "token=wrong&" + fields),
        Request.get(query: "token=&user=&event="),
        Request.screen("token=s3cret-Token_424&" + fields),
        Request.get(query: nil),
        Request.get(query: ""),
        Request.post(body: Array("{not json".utf8), contentType: "application/json", query: nil),
        Request.post(body: Array("x".utf8), contentType: "image/png", query: "token=wrong"),
        Request.relay("uniqueid=1.2&type=event&" + fields),
        Request.json(#"{"token":"nope","user":"6666","event":"state_ready"}"#),
        Request.json(#"{"token":42,"user":"6666","event":"state_ready"}"#),
    ])
    func aMissingOrWrongTokenIsUnauthorized(_ request: Request) {
        #expect(request.decode(with: Self.decoder) == .failure(.unauthorized))
        #expect(EventRejection.unauthorized.status == 401)
        #expect(EventRejection.unauthorized.reason == "unauthorized")
        #expect(Self.decoder.decode(query: Self.fields, authorization: "Bearer wrong") == .failure(.unauthorized))
    }

    /// A sender holding the token still learns why its push is unreadable.
    @Test func withTheTokenUnreadablePushesGetTheirOwnAnswer() {
        #expect(Self.decoder.decode(query: nil, authorization: "Bearer \(Self.secret)") == .failure(.emptyRequest))
        #expect(
            Self.decoder.decode(body: Array("x".utf8), contentType: "image/png", query: "token=\(Self.secret)")
                == .failure(.unsupportedContentType("image/png")))
    }

    /// Without a configured token a `token` field is ignored.
    @Test func withoutATokenConfiguredTheFieldIsIgnored() {
        #expect(Request.get(query: "token=anything&" + Self.fields).decode() == .success(Self.expected))
    }
}
