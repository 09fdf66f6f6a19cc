import HTTPClient
import HTTPServer
import Testing

@Suite struct BodyTests {
    /// Bytes 0, 1, ..., 255, 0, 1, ... so a dropped or reordered chunk shows.
    private func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0) }
    }

    @Test func bodyOfExactlyTheLimitIsPassedIntact() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)
        let body = pattern(65_536)

        try client.send(Array("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 65536\r\n\r\n".utf8) + body)
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.bodyText == "POST /upload 65536")
        let request = try #require(recorder.all.first)
        #expect(request.bodyTooLarge == false)
        #expect(request.body == body)
    }

    @Test func bodyOneByteOverTheLimitIsFlaggedTooLarge() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send(Array("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 65537\r\n\r\n".utf8) + pattern(65_537))
        let response = try client.readResponse()

        #expect(response.status == 413)
        #expect(response.bodyText == "too large")
        let request = try #require(recorder.all.first)
        #expect(request.bodyTooLarge == true)
        #expect(request.body == [])
        #expect(request.path == "/upload")
    }

    @Test func hugeContentLengthIsAnsweredWithoutWaitingForTheBody() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        // Only 3 of the announced 10 MB arrive: a server waiting for the rest would
        // leave the client's receive to time out.
        try client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 10000000\r\n\r\nabc")
        let response = try client.readResponse()

        #expect(response.status == 413)
        #expect(response.bodyText == "too large")
        #expect(try client.readUntilClosed() == [])
        #expect(recorder.all.map(\.bodyTooLarge) == [true])
    }

    @Test func oversizedBodyWithExpectContinueGetsNoContinue() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("PUT /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 70000\r\nExpect: 100-continue\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 413)
        #expect(recorder.all.map(\.bodyTooLarge) == [true])
    }

    @Test func expectContinueBodyWithinTheLimitIsReceived() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("PUT /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readResponse().status == 100)
        try client.send("hello")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.bodyText == "PUT /upload 5")
        #expect(recorder.all.map(\.body) == [Array("hello".utf8)])
    }

    @Test func chunkedBodyIsAssembled() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
        try client.send("5\r\nhello\r\n")
        try client.send("6\r\n world\r\n")
        try client.send("0\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.bodyText == "POST /chunked 11")
        #expect(recorder.all.map(\.body) == [Array("hello world".utf8)])
    }

    @Test func chunkedBodyOverTheLimitIsFlaggedTooLargeOnceItEnds() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder, maxBodyBytes: 8)
        let client = try RawHTTPClient(port: server.boundPort)

        // MHD takes no response in the middle of a body, so the rest is read and
        // dropped and the answer comes at its end, keeping the connection usable.
        try client.send("POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        try client.send("6\r\n world\r\n0\r\n\r\n")
        let tooLarge = try client.readResponse()
        try client.send("GET /next HTTP/1.1\r\nHost: test\r\n\r\n")
        let next = try client.readResponse()

        #expect(tooLarge.status == 413)
        #expect(tooLarge.bodyText == "too large")
        #expect(next.status == 200)
        #expect(next.bodyText == "GET /next 0")
        let requests = recorder.all
        #expect(requests.map(\.bodyTooLarge) == [true, false])
        #expect(requests.map(\.body) == [[], []])
    }
}
