import HTTPServer

extension HTTPResponse {
    /// This scrape answer in the coding the request's `Accept-Encoding` prefers. The body is
    /// compressed here, on the request's own thread after rendering, so no lock is held while
    /// zlib runs. HEAD is left alone (no body goes out); when zlib fails the answer goes out
    /// uncompressed.
    func encoded(for request: HTTPRequest) -> HTTPResponse {
        var response = self
        response.headers.append((name: "Vary", value: "Accept-Encoding"))
        let coding = ContentCoding.negotiate(acceptEncoding: request.headers.acceptEncoding)
        guard request.method != "HEAD", coding == .gzip else { return response }
        // Compressed from where the page was rendered; the lent buffer then goes back for reuse.
        let compressed = lentBody.map { lent in Gzip.compress(count: lent.count, lent.forEachRegion) } ?? Gzip.compress(body)
        guard let compressed else { return response }
        response.headers.append((name: "Content-Encoding", value: "gzip"))
        response.body = compressed
        response.lentBody = nil
        return response
    }
}

extension HTTPHeaders {
    /// Every `Accept-Encoding` field as one list (repeated fields are one comma-separated list, RFC 9110).
    fileprivate var acceptEncoding: String? {
        let values = values(for: "accept-encoding")
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}
