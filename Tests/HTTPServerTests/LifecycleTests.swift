#if canImport(Glibc)
import HTTPClient
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HTTPServer
import Testing

@Suite struct LifecycleTests {
    @Test func stopIsIdempotentAndClosesThePortAndOpenConnections() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let port = server.boundPort
        let client = try RawHTTPClient(port: port)
        try client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readResponse().status == 200)

        server.stop()
        server.stop()

        #expect(try client.readUntilClosed() == [])
        let refused = #expect(throws: ClientError.self) { try RawHTTPClient(port: port) }
        #expect(refused?.operation == "connect")
        #expect(refused?.code == ECONNREFUSED)
    }

    @Test func startingTwiceOnTheSamePortThrows() throws {
        let first = try startRecordingServer(RequestRecorder())
        let port = first.boundPort
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: port)

        let error = #expect(throws: HTTPServerError.self) {
            try HTTPServer(configuration: configuration) { _ in .text(200, "second") }
        }

        guard case .startFailed(let address, let reason)? = error else {
            Issue.record("expected startFailed, got \(String(describing: error))")
            return
        }
        #expect(address == "127.0.0.1:\(port)")
        #expect(reason.contains("Address already in use"))
        #expect(error?.description == "cannot listen on 127.0.0.1:\(port): \(reason)")
    }

    @Test func ipv6LoopbackServesOrFailsClearly() throws {
        let configuration = HTTPServerConfiguration(host: "::1", port: 0)
        let start = { try HTTPServer(configuration: configuration) { request in .text(200, request.remoteAddress ?? "none") } }

        guard ipv6LoopbackAvailable() else {
            let error = #expect(throws: HTTPServerError.self) { try start() }
            guard case .startFailed(let address, _)? = error else {
                Issue.record("expected startFailed, got \(String(describing: error))")
                return
            }
            #expect(address == "[::1]:0")
            return
        }
        let server = try start()
        let client = try RawHTTPClient(host: "::1", port: server.boundPort)
        try client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.bodyText == "::1")
    }

    @Test func hostMustBeALiteralAddress() {
        let configuration = HTTPServerConfiguration(host: "localhost", port: 0)
        #expect(throws: HTTPServerError.invalidHost("localhost")) {
            try HTTPServer(configuration: configuration) { _ in .text(200, "") }
        }
    }

    @Test func outOfRangeSettingsAreRejected() {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, threadPoolSize: 0)
        #expect(throws: HTTPServerError.invalidConfiguration("threadPoolSize must be between 1 and 4294967295, got 0")) {
            try HTTPServer(configuration: configuration) { _ in .text(200, "") }
        }
    }
}
