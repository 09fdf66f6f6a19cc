/// What the handler answers. libmicrohttpd adds Content-Length, Date and the
/// connection handling itself; header fields it refuses (such as ones containing
/// CR or LF) are dropped.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    /// The body, unless `lentBody` is set.
    public var body: [UInt8]
    /// A large body sent from where it was written, without a copy (a scrape's exposition);
    /// libmicrohttpd holds it until the last byte is sent. `body` is then not sent.
    public var lentBody: (any LentResponseBody)?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The bytes that are sent: the lent body's, or `body` (a copy; for tests and small answers).
    public var sentBody: [UInt8] {
        guard let lentBody else { return body }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lentBody.count)
        lentBody.forEachRegion { bytes.append(contentsOf: $0) }
        return bytes
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], lentBody: any LentResponseBody) {
        self.init(status: status, headers: headers)
        self.lentBody = lentBody
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

/// A body sent in pieces from where it was written, without joining them; the server keeps the
/// object until libmicrohttpd has sent the last byte, then lets it go. The bytes must not change
/// while the object lives.
public protocol LentResponseBody: AnyObject, Sendable {
    /// The body's length in bytes.
    var count: Int { get }
    /// Calls `body` with each piece, in order.
    func forEachRegion(_ body: (UnsafeRawBufferPointer) -> Void)
}
