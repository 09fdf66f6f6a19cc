import HTTPClient
import Foundation
import HTTPServer
import Synchronization
import Testing

@Suite struct ConnectionTests {
    @Test func oneConnectionAnswersSeveralRequestsWithoutClosing() throws {
        let recorder = RequestRecorder()
        let server = try startRecordingServer(recorder)
        let client = try RawHTTPClient(port: server.boundPort)

        try client.send("GET /one HTTP/1.1\r\nHost: test\r\n\r\n")
        let first = try client.readResponse()
        try client.send("POST /two HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nbody")
        let second = try client.readResponse()
        try client.send("GET /three?x=1 HTTP/1.1\r\nHost: test\r\n\r\n")
        let third = try client.readResponse()

        #expect([first, second, third].map(\.status) == [200, 200, 200])
        #expect([first, second, third].map(\.bodyText) == ["GET /one 0", "POST /two 4", "GET /three 0"])
        #expect([first, second, third].map { $0.header("Connection") } == [nil, nil, nil])
        #expect(recorder.all.map(\.path) == ["/one", "/two", "/three"])
    }

    @Test func headResponseCarriesNoBody() throws {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        let server = try HTTPServer(configuration: configuration) { request in
            .text(200, "hello from \(request.method)")
        }
        let client = try RawHTTPClient(port: server.boundPort)

        // Any body bytes after the HEAD response would garble the GET response read next.
        try client.send("HEAD /page HTTP/1.1\r\nHost: test\r\n\r\n")
        let head = try client.readResponse(hasBody: false)
        try client.send("GET /page HTTP/1.1\r\nHost: test\r\n\r\n")
        let get = try client.readResponse()

        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(get.status == 200)
        #expect(get.bodyText == "hello from GET")
    }

    @Test func manyConcurrentConnectionsAreAllAnswered() throws {
        let threadCount = 50
        let requestsPerThread = 20
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        let server = try HTTPServer(configuration: configuration) { request in
            .text(200, request.path)
        }
        let port = server.boundPort
        let failures = Mutex<[String]>([])
        let answered = Mutex(0)

        let finished = DispatchGroup()
        for thread in 0..<threadCount {
            finished.enter()
            Thread {
                defer { finished.leave() }
                do {
                    let client = try RawHTTPClient(port: port)
                    for request in 0..<requestsPerThread {
                        let path = "/thread\(thread)/request\(request)"
                        try client.send("GET \(path) HTTP/1.1\r\nHost: test\r\n\r\n")
                        let response = try client.readResponse()
                        guard response.status == 200, response.bodyText == path else {
                            failures.withLock { $0.append("\(path): \(response.status) \(response.bodyText)") }
                            continue
                        }
                        answered.withLock { $0 += 1 }
                    }
                } catch {
                    failures.withLock { $0.append("thread \(thread): \(error)") }
                }
            }.start()
        }
        finished.wait()

        #expect(failures.withLock { $0 } == [])
        #expect(answered.withLock { $0 } == threadCount * requestsPerThread)
    }
}
