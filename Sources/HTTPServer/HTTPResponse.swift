/// What the handler answers. libmicrohttpd adds Content-Length, Date and the
/// connection handling itself; header fields it refuses (such as ones containing
/// CR or LF) are dropped.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 text response with `Content-Type: text/plain; charset=utf-8`,
    /// unless `headers` brings its own Content-Type.
    public static func text(
        _ status: Int,
        _ text: String,
        headers: [(name: String, value: String)] = []
    ) -> HTTPResponse {
        let hasContentType = headers.contains { $0.name.lowercased() == "content-type" }
        let contentType = hasContentType ? [] : [(name: "Content-Type", value: "text/plain; charset=utf-8")]
        return HTTPResponse(status: status, headers: contentType + headers, body: Array(text.utf8))
    }
}
