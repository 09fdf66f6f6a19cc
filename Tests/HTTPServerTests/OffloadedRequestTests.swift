import Dispatch
import HTTPClient
import HTTPServer
import Testing

/// A slow answer on an offloaded path does not hold up the other connections of its pool thread.
@Suite struct OffloadedRequestTests {
    /// One pool thread. The /slow handler waits until /fast has been answered; /fast arrives
    /// after it. Without offloading, the only pool thread would sit in /slow's handler and
    /// /fast would be answered only after /slow gave up waiting ("gave up"), 10 s later.
    @Test func aSlowOffloadedAnswerLeavesThePoolThreadToOthers() throws {
        let fastAnswered = DispatchSemaphore(value: 0)
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, threadPoolSize: 1, offloadedPaths: ["/slow"])
        let server = try HTTPServer(configuration: configuration) { request in
            if request.path == "/slow" {
                let released = fastAnswered.wait(timeout: .now() + 10) == .success
                return .text(200, released ? "released" : "gave up")
            }
            fastAnswered.signal()
            return .text(200, "fast")
        }
        defer { server.stop() }
        let slow = try RawHTTPClient(port: server.boundPort)
        try slow.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n")
        let fast = try RawHTTPClient(port: server.boundPort)
        try fast.send("GET /fast HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try fast.readResponse().bodyText == "fast")
        let slowAnswer = try slow.readResponse()
        #expect(slowAnswer.status == 200)
        #expect(slowAnswer.bodyText == "released")
        // The resumed connection stays usable (keep-alive) for the next request.
        try slow.send("GET /fast HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try slow.readResponse().bodyText == "fast")
    }
}

/// Stopping the server while an offloaded request runs: libmicrohttpd aborts the process if a
/// connection is still suspended when it stops, so stop waits for the answer, which is sent.
@Suite struct OffloadedStopTests {
    @Test func stopWaitsForTheOffloadedAnswer() throws {
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, threadPoolSize: 1, offloadedPaths: ["/slow"])
        let server = try HTTPServer(configuration: configuration) { request in
            started.signal()
            _ = release.wait(timeout: .now() + 10)
            return .text(200, "answered")
        }
        let client = try RawHTTPClient(port: server.boundPort)
        try client.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(started.wait(timeout: .now() + 10) == .success)
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.stop()
            stopped.signal()
        }
        release.signal()
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        // The answer was queued before the daemon stopped; it is sent, or the stop closed the
        // connection first: either way the process is alive and nothing is left suspended.
        let bytes = try client.readUntilClosed()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.isEmpty || text.hasSuffix("answered"))
    }
}

/// Offloaded requests run side by side up to the pool's width: a handler that answers "busy"
/// while one of its kind runs (a password check) must see the others at once, not queued
/// behind it. With two pool threads, /a waits until /b has started; run one at a time, /b
/// would only start after /a gave up.
@Suite struct OffloadedWidthTests {
    @Test func twoOffloadedRequestsRunTogetherOnAPoolOfTwo() throws {
        let secondStarted = DispatchSemaphore(value: 0)
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, threadPoolSize: 2, offloadedPaths: ["/a", "/b"])
        let server = try HTTPServer(configuration: configuration) { request in
            if request.path == "/a" {
                return .text(200, secondStarted.wait(timeout: .now() + 10) == .success ? "together" : "one at a time")
            }
            secondStarted.signal()
            return .text(200, "b")
        }
        defer { server.stop() }
        let first = try RawHTTPClient(port: server.boundPort)
        try first.send("GET /a HTTP/1.1\r\nHost: test\r\n\r\n")
        let second = try RawHTTPClient(port: server.boundPort)
        try second.send("GET /b HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try second.readResponse().bodyText == "b")
        #expect(try first.readResponse().bodyText == "together")
    }
}
