/// Why a request was not accepted as an agent event.
///
/// `reason` is a stable metric label value; `message` is one line for a VICIdial admin, saying
/// what is wrong and what to change. Echoed input is already sanitized and bounded (see `Echo`).
public enum EventRejection: Error, Equatable, Sendable {
    /// Neither a body nor a query string.
    case emptyRequest
    /// The POST body's media type (the one shown) is neither form nor JSON.
    case unsupportedContentType(String)
    /// The JSON body is not one object of strings, numbers and nulls; says what is wrong.
    case malformedJSON(String)
    /// A field still holds a `--A--name--B--` placeholder literal (the one shown).
    case unreplacedPlaceholder(field: String, value: String)
    case missingUser
    /// Says why the user is invalid, with the offending value.
    case invalidUser(String)
    case missingEvent
    /// Says why the event name is invalid, with the offending value.
    case invalidEvent(String)
    /// A numeric field (`NumericField`) holds a number beyond its range.
    case outOfRange(field: String, value: String, maximum: UInt64)
    /// An ingest token is required and the push carries none, or a wrong one.
    case unauthorized

    /// Every `reason` value, so a counter can show each from zero.
    public static let allReasons = [
        "empty_request", "unsupported_content_type", "malformed_json", "unreplaced_placeholder",
        "missing_user", "invalid_user", "missing_event", "invalid_event", "out_of_range", "unauthorized",
    ]

    public var reason: String {
        switch self {
        case .emptyRequest: "empty_request"
        case .unsupportedContentType: "unsupported_content_type"
        case .malformedJSON: "malformed_json"
        case .unreplacedPlaceholder: "unreplaced_placeholder"
        case .missingUser: "missing_user"
        case .invalidUser: "invalid_user"
        case .missingEvent: "missing_event"
        case .invalidEvent: "invalid_event"
        case .outOfRange: "out_of_range"
        case .unauthorized: "unauthorized"
        }
    }

    /// The HTTP status to answer with.
    public var status: Int {
        switch self {
        case .unsupportedContentType: 415
        case .unauthorized: 401
        default: 400
        }
    }

    public var message: String {
        switch self {
        case .emptyRequest:
            "empty request: no body and no query string; the Agent Push URL must carry the fields, "
                + "e.g. ?user=--A--user--B--&event=--A--event--B--&message=--A--message--B--"
        case .unsupportedContentType(let mediaType):
            "unsupported Content-Type '\(mediaType)': send application/x-www-form-urlencoded "
                + "(as the agent screen and get2post.php do), application/json, or a GET query string"
        case .malformedJSON(let why):
            "malformed JSON body: \(why); send one object such as "
                + #"{"user":"6666","event":"state_ready","counter":3,"epoch":1764140000}"#
        case .unreplacedPlaceholder(let field, let value):
            "field '\(field)' holds the literal placeholder \(value): VICIdial did not substitute it; "
                + "check the Agent Push URL in System Settings (placeholders are --A--name--B--)"
        case .missingUser:
            "missing or empty field 'user': the Agent Push URL must contain user=--A--user--B--"
        case .invalidUser(let why):
            "invalid field 'user': \(why); the Agent Push URL must contain user=--A--user--B-- "
                + "with nothing else in that value"
        case .missingEvent:
            "missing or empty field 'event': the Agent Push URL must contain event=--A--event--B--"
        case .invalidEvent(let why):
            "invalid field 'event': \(why); event names are lowercase letters, digits and _ "
                + "(e.g. state_ready) and the Agent Push URL must contain event=--A--event--B--"
        case .outOfRange(let field, let value, let maximum):
            "field '\(field)' is \(value), beyond its largest accepted value \(maximum); VICIdial never sends "
                + "such a number, check what is posting here"
        case .unauthorized:
            "missing or wrong ingest token: the Agent Push URL must carry token= with the token in the "
                + "exporter's --ingest.token-file (or send Authorization: Bearer)"
        }
    }
}
