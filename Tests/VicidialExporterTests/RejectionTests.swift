import HTTPServer
import Testing
import VicidialExporter

/// Every decoder rejection reaches the sender with its status and message, and is counted
/// under its reason.
struct RejectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let reason: String
        let method: String
        let query: String?
        let body: String
        let contentType: String?
        let status: Int
        let message: String
        var testDescription: String { reason }
    }

    static let userHint = "; the Agent Push URL must contain user=--A--user--B-- with nothing else in that value"

    static let cases: [Case] = [
        Case(
            reason: "empty_request", method: "GET", query: nil, body: "", contentType: nil, status: 400,
            message: "empty request: no body and no query string; the Agent Push URL must carry the fields, "
                + "e.g. ?user=--A--user--B--&event=--A--event--B--&message=--A--message--B--"),
        Case(
            reason: "unsupported_content_type", method: "POST", query: nil, body: "<event/>",
            contentType: "text/xml; charset=utf-8", status: 415,
            message: "unsupported Content-Type 'text/xml': send application/x-www-form-urlencoded "
                + "(as the agent screen and get2post.php do), application/json, or a GET query string"),
        Case(
            reason: "malformed_json", method: "POST", query: nil, body: #"["6666","state_ready"]"#,
            contentType: "application/json", status: 400,
            message: "malformed JSON body: the top level is not an object; send one object such as "
                + #"{"user":"6666","event":"state_ready","counter":3,"epoch":1764140000}"#),
        Case(
            reason: "unreplaced_placeholder", method: "GET", query: "user=--A--user--B--&event=--A--event--B--",
            body: "", contentType: nil, status: 400,
            message: "field 'user' holds the literal placeholder --A--user--B--: VICIdial did not substitute it; "
                + "check the Agent Push URL in System Settings (placeholders are --A--name--B--)"),
        Case(
            reason: "missing_user", method: "POST", query: nil, body: "user=&event=state_ready",
            contentType: ExporterHarness.screenContentType, status: 400,
            message: "missing or empty field 'user': the Agent Push URL must contain user=--A--user--B--"),
        Case(
            reason: "invalid_user", method: "GET", query: "user=abcdefghij0123456789X&event=state_ready",
            body: "", contentType: nil, status: 400,
            message: "invalid field 'user': it is 21 characters long, more than 20: 'abcdefghij0123456789X'" + userHint),
        Case(
            reason: "missing_event", method: "GET", query: "user=6666&message=READY", body: "", contentType: nil,
            status: 400,
            message: "missing or empty field 'event': the Agent Push URL must contain event=--A--event--B--"),
        Case(
            reason: "invalid_event", method: "POST", query: nil, body: "user=6666&event=State-Ready",
            contentType: ExporterHarness.screenContentType, status: 400,
            message: "invalid field 'event': 'State-Ready' holds characters other than a-z, 0-9 and _; "
                + "event names are lowercase letters, digits and _ (e.g. state_ready) and the Agent Push URL "
                + "must contain event=--A--event--B--"),
        Case(
            reason: "out_of_range", method: "GET", query: "user=6666&event=logged_in&counter=9223372036854775807",
            body: "", contentType: nil, status: 400,
            message: "field 'counter' is 9223372036854775807, beyond its largest accepted value 2147483647; "
                + "VICIdial never sends such a number, check what is posting here"),
    ]

    @Test(arguments: cases)
    func rejection(_ test: Case) {
        let harness = ExporterHarness()
        let headers = test.contentType.map { [("Content-Type", $0)] } ?? []
        let response = harness.exporter.handle(
            HTTPRequest(
                method: test.method, path: "/event", query: test.query, headers: HTTPHeaders(headers),
                body: Array(test.body.utf8)))
        #expect(response.status == test.status)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.text == test.message + "\n")

        let rejected = harness.samples().series("vicidial_exporter_events_rejected_total")
        #expect(rejected == Self.rejectedLines(counting: test.reason))
        #expect(harness.samples().contains(
            #"vicidial_exporter_http_requests_total{route="/event",code="\#(test.status)"} 1"#))
    }

    /// Every reason is listed, from zero, whether or not it happened.
    @Test func everyReasonShownFromZero() {
        #expect(ExporterHarness().samples().series("vicidial_exporter_events_rejected_total") == Self.rejectedLines(counting: nil))
    }

    /// All fifteen reasons in label order, with 1 for `reason`.
    static func rejectedLines(counting reason: String?) -> [String] {
        [
            "body_too_large", "empty_request", "forbidden_source", "invalid_event", "invalid_user", "malformed_json",
            "missing_event", "missing_user", "not_ready", "out_of_range", "storage_unavailable", "too_many_agents",
            "unauthorized", "unreplaced_placeholder", "unsupported_content_type",
        ].map { #"vicidial_exporter_events_rejected_total{reason="\#($0)"} \#($0 == reason ? 1 : 0)"# }
    }
}
