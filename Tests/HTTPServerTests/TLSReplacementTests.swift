import HTTPClient
import HTTPServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `replaceListener` hands the listening socket to a new daemon: settings that cannot be used are
/// refused before anything changes, and a request already on its way is answered by the old
/// daemon while new connections go to the new one, on the same port.
@Suite struct TLSReplacementTests {
    @Test func unusableSettingsAreRefusedAndTheServerGoesOn() throws {
        let server = try startRecordingServer(RequestRecorder())
        let error = #expect(throws: HTTPServerError.self) {
            try server.replaceListener(tls: TLSSettings(certificatePEM: "not a certificate", keyPEM: "not a key"), context: nil, grace: 1)
        }
        #expect(error == .invalidTLS("certificate: no PEM certificate (-----BEGIN CERTIFICATE-----) found"))
        #expect(server.tls == nil)
        let client = try RawHTTPClient(port: server.boundPort)
        try client.send("GET /still HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readResponse().bodyText == "GET /still 0")
        server.stop()
    }

    @Test func aRequestArrivingDuringTheSwapIsAnsweredAndTheNextConnectionGoesToTheNewDaemon() async throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let port = server.boundPort
        // Headers sent, body not yet: the old daemon holds this request across the swap.
        let early = try RawHTTPClient(port: port)
        try early.send("POST /early HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\n")
        let swapped = Task.detached { try server.replaceListener(tls: nil, context: nil, grace: 5) }
        usleep(200_000)
        let late = try RawHTTPClient(port: port)
        try late.send("GET /late HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try late.readResponse().bodyText == "GET /late 0")
        try early.send("hello")
        #expect(try early.readResponse().bodyText == "POST /early 5")
        try early.send("GET /again HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try early.readResponse().bodyText == "GET /again 0")
        early.closeNow()
        try await swapped.value
        #expect(recorder.all.map(\.path) == ["/late", "/early", "/again"])
        server.stop()
    }
}
