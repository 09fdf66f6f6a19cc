import HTTPClient
import HTTPServer
import Testing

@Suite struct HeaderTests {
    @Test func requestHeadersAreLookedUpCaseInsensitively() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("GET / HTTP/1.1\r\nHost: test\r\nX-Agent-ID: 42\r\ncontent-TYPE: text/plain\r\n\r\n")
        #expect(try client.readResponse().status == 200)

        let headers = try #require(recorder.all.first).headers
        #expect(headers["x-agent-id"] == "42")
        #expect(headers["X-AGENT-ID"] == "42")
        #expect(headers["Content-Type"] == "text/plain")
        #expect(headers["Host"] == "test")
        #expect(headers["X-Missing"] == nil)
    }

    @Test func headersKeepEveryValueInOrder() {
        let headers = HTTPHeaders([("Accept", "a"), ("X-Other", "b"), ("accept", "c")])

        #expect(headers["ACCEPT"] == "a")
        #expect(headers.values(for: "Accept") == ["a", "c"])
        #expect(headers.fields.map(\.name) == ["Accept", "X-Other", "accept"])
    }

    @Test func handlerResponseHeadersAndStatusAreDelivered() throws {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        let server = try HTTPServer(configuration: configuration) { _ in
            .text(201, "created", headers: [(name: "X-Custom", value: "yes"), (name: "Cache-Control", value: "no-store")])
        }
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("POST /things HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 201)
        #expect(response.bodyText == "created")
        #expect(response.header("X-Custom") == "yes")
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.header("Content-Length") == "7")
    }

    @Test func textResponseDefaultsContentTypeUnlessGiven() {
        let plain = HTTPResponse.text(200, "hé")
        #expect(plain.status == 200)
        #expect(plain.body == [0x68, 0xC3, 0xA9])
        #expect(plain.headers.map(\.name) == ["Content-Type"])
        #expect(plain.headers.map(\.value) == ["text/plain; charset=utf-8"])

        let custom = HTTPResponse.text(200, "{}", headers: [(name: "content-type", value: "application/json")])
        #expect(custom.headers.map(\.name) == ["content-type"])
        #expect(custom.headers.map(\.value) == ["application/json"])
    }
}
