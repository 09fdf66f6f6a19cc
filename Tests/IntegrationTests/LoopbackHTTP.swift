import HTTPClient

/// One GET to the exporter on 127.0.0.1, on a fresh connection.
func loopbackGet(_ port: UInt16, _ path: String) throws -> RawResponse {
    let client = try RawHTTPClient(port: port)
    try client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return try client.readResponse()
}
