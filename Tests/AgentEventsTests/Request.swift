import AgentEvents

/// One request as the HTTP layer hands it to the decoder.
enum Request: Sendable, CustomStringConvertible {
    case get(query: String?)
    case post(body: [UInt8], contentType: String?, query: String? = nil)

    /// What the agent screen's XHR sends.
    static let screenContentType = "application/x-www-form-urlencoded; charset=UTF-8"
    /// What get2post.php's cURL sends.
    static let relayContentType = "application/x-www-form-urlencoded"

    static func screen(_ body: String) -> Request {
        .post(body: Array(body.utf8), contentType: screenContentType)
    }

    static func relay(_ body: String) -> Request {
        .post(body: Array(body.utf8), contentType: relayContentType)
    }

    static func json(_ body: String, contentType: String = "application/json") -> Request {
        .post(body: Array(body.utf8), contentType: contentType)
    }

    func decode(with decoder: EventDecoder = EventDecoder()) -> Result<AgentEvent, EventRejection> {
        switch self {
        case .get(let query): decoder.decode(query: query)
        case .post(let body, let contentType, let query):
            decoder.decode(body: body, contentType: contentType, query: query)
        }
    }

    var description: String {
        switch self {
        case .get(let query): "GET ?\(query ?? "<nil>")"
        case .post(let body, let contentType, let query):
            "POST \(contentType ?? "<no type>") \(String(decoding: body.prefix(80), as: UTF8.self))"
                + (query.map { " ?\($0)" } ?? "")
        }
    }
}
