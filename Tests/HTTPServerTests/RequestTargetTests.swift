import HTTPClient
import HTTPServer
import Testing

@Suite struct RequestTargetTests {
    @Test func rawQueryIsPassedThroughUndecoded() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("GET /event?user=a%zz&message=x+y HTTP/1.1\r\nHost: test\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.bodyText == "GET /event 0")
        let request = try #require(recorder.all.first)
        #expect(request.path == "/event")
        #expect(request.query == "user=a%zz&message=x+y")
    }

    @Test func pathIsNotPercentDecoded() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("GET /a%20b/c%2Fd HTTP/1.1\r\nHost: test\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(recorder.all.map(\.path) == ["/a%20b/c%2Fd"])
    }

    @Test func pathWithoutQueryHasNilQuery() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readResponse().status == 200)

        let request = try #require(recorder.all.first)
        #expect(request.path == "/metrics")
        #expect(request.query == nil)
    }

    @Test func queryStartsAfterTheFirstQuestionMark() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("GET /empty? HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        try client.send("GET /two?a=1?b=2 HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readResponse().status == 200)

        let requests = recorder.all
        #expect(requests.map(\.path) == ["/empty", "/two"])
        #expect(requests.map(\.query) == ["", "a=1?b=2"])
    }

    @Test func methodAndRemoteAddressArePassed() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("DELETE /thing HTTP/1.1\r\nHost: test\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.bodyText == "DELETE /thing 0")
        let request = try #require(recorder.all.first)
        #expect(request.method == "DELETE")
        #expect(request.remoteAddress == "127.0.0.1")
        #expect(request.bodyTooLarge == false)
    }
}
