import AgentEvents
import Testing

/// `--ingest.token-file`: the token through every way a push can carry it, and refusals that
/// never echo it.
struct IngestTokenTests {
    static let secret = "s3cret-Token_42"
    static let decoder = EventDecoder(token: IngestToken(fileText: secret + "\n")!)
    static let fields = "user=6666&event=state_ready&message=READY&lead_id=&counter=3&epoch=1764140000&agent_log_id=881"
    static let expected = AgentEvent(
        user: "6666", event: .known(.stateReady), message: "READY", counter: 3, epoch: 1_764_140_000, agentLogID: 881)

    @Test func theFileTextIsTrimmedAndAnEmptyFileIsNoToken() {
        #expect(IngestToken(fileText: "  abc \r\n")?.accepts("abc") == true)
        #expect(IngestToken(fileText: "") == nil)
        #expect(IngestToken(fileText: " \n\t") == nil)
        #expect("\(IngestToken(fileText: Self.secret)!)" == "IngestToken(15 bytes)")
    }

    @Test(arguments: [
        ("s3cret-Token_42", true), ("s3cret-Token_4", false), ("s3cret-Token_421", false), ("S3cret-Token_42", false),
        ("", false), ("s3cret-Token_42s3cret-Token_42", false), ("x", false),
    ])
    func onlyTheExactTokenIsAccepted(_ candidate: String, _ accepted: Bool) {
        #expect(IngestToken(fileText: Self.secret)!.accepts(candidate) == accepted)
    }

    @Test(arguments: [
        ("Bearer s3cret-Token_42", true), ("bearer s3cret-Token_42", true), ("Bearer  s3cret-Token_42 ", true),
        ("Basic s3cret-Token_42", false), ("Bearer", false), ("s3cret-Token_42", false), ("Bearer wrong", false),
    ])
    func bearerAuthorization(_ header: String, _ accepted: Bool) {
        #expect(IngestToken(fileText: Self.secret)!.acceptsAuthorization(header) == accepted)
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
        Request.screen("token=s3cret-Token_4&" + fields),
        Request.relay("uniqueid=1.2&type=event&" + fields),
        Request.json(#"{"token":"nope","user":"6666","event":"state_ready"}"#),
        Request.json(#"{"token":42,"user":"6666","event":"state_ready"}"#),
    ])
    func aMissingOrWrongTokenIsUnauthorized(_ request: Request) {
        #expect(request.decode(with: Self.decoder) == .failure(.unauthorized))
        #expect(EventRejection.unauthorized.status == 401)
        #expect(EventRejection.unauthorized.reason == "unauthorized")
        #expect(!EventRejection.unauthorized.message.contains(Self.secret))
        #expect(Self.decoder.decode(query: Self.fields, authorization: "Bearer wrong") == .failure(.unauthorized))
    }

    /// Without a configured token a `token` field is ignored.
    @Test func withoutATokenConfiguredTheFieldIsIgnored() {
        #expect(Request.get(query: "token=anything&" + Self.fields).decode() == .success(Self.expected))
    }
}
