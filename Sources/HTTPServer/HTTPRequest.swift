/// One HTTP request as the server hands it to the handler.
public struct HTTPRequest: Sendable {
    /// "GET", "POST", ...
    public var method: String
    /// The request-target before the first '?', exactly as sent (not percent-decoded).
    public var path: String
    /// The bytes after the first '?', undecoded (lossy UTF-8); nil when the target has no '?'.
    public var query: String?
    public var headers: HTTPHeaders
    /// The full body, at most `HTTPServerConfiguration.maxBodyBytes` long.
    public var body: [UInt8]
    /// The client's IP address, e.g. "127.0.0.1" or "::1".
    public var remoteAddress: String?
    /// True when the body exceeded the limit; `body` is then empty and the connection
    /// is closed after the response.
    public var bodyTooLarge: Bool
    /// What the server was started or last replaced with (`HTTPServer.replaceListener`) when it
    /// accepted this request's connection.
    public var listenerContext: (any Sendable)?

    public init(
        method: String,
        path: String,
        query: String? = nil,
        headers: HTTPHeaders = HTTPHeaders([]),
        body: [UInt8] = [],
        remoteAddress: String? = nil,
        bodyTooLarge: Bool = false,
        listenerContext: (any Sendable)? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.bodyTooLarge = bodyTooLarge
        self.listenerContext = listenerContext
    }
}
