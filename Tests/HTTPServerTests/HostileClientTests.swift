import Foundation
import HTTPClient
import HTTPServer
import Synchronization
import Testing

/// Clients that try to hold the server's connections: from 127.0.0.2, while a well-behaved
/// client on 127.0.0.1 must still get its answers. Counts and durations are bounded.
@Suite(.serialized) struct HostileClientTests {
    static let attacker = "127.0.0.2"

    /// The answer to /big: larger than the kernel's socket buffers (4 MiB at most here), so most
    /// of it stays in the server while its client does not read.
    static let bigAnswer = [UInt8](repeating: UInt8(ascii: "m"), count: 8 << 20)

    static func startServer(
        _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(host: "127.0.0.1", port: 0),
        readTimeout: Double = 10,
        statistics: HTTPServerStatistics
    ) throws -> HTTPServer {
        raiseOpenFileLimit()
        var configuration = configuration
        configuration.readTimeoutSeconds = readTimeout
        return try HTTPServer(configuration: configuration, statistics: statistics) { request in
            request.path == "/big" ? HTTPResponse(status: 200, body: bigAnswer) : .text(200, request.path)
        }
    }

    /// Seconds a GET from 127.0.0.1 takes to be answered; the answer must be 200.
    static func timedGet(_ port: UInt16, _ path: String) throws -> Double {
        let started = Date()
        let client = try RawHTTPClient(port: port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == path)
        return Date().timeIntervalSince(started)
    }

    /// Polls `condition` until it holds or `seconds` have passed.
    static func waitUntil(seconds: Double, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline { usleep(10_000) }
    }

    /// Waits (at most `seconds`) for the server to hold `count` connections; returns how many it holds.
    static func waitForOpenConnections(_ count: Int, _ statistics: HTTPServerStatistics, seconds: Double) -> Int {
        waitUntil(seconds: seconds) { statistics.current.openConnections == count }
        return statistics.current.openConnections
    }

    /// 300 connections from one address trickle header bytes. The address holds at most its 256
    /// connections (each newer one displaces the one waiting longest); another client's request
    /// is answered at once.
    @Test func slowlorisCannotStarveOtherClients() throws {
        let statistics = HTTPServerStatistics()
        let server = try Self.startServer(statistics: statistics)
        var slow: [RawHTTPClient] = []
        for _ in 0..<300 {
            let client = try RawHTTPClient(port: server.boundPort, source: Self.attacker)
            try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n")
            slow.append(client)
        }
        for client in slow {
            try? client.send("X")  // the survivors go on trickling; the displaced ones fail, which is fine
        }
        let seconds = try Self.timedGet(server.boundPort, "/scrape")
        print("slowloris: 300 trickling connections from \(Self.attacker); a GET from 127.0.0.1 answered in \(seconds) s")
        #expect(seconds < 3)
        // libmicrohttpd may still be accepting the last ones.
        Self.waitUntil(seconds: 5) { statistics.current.connectionsClosed["displaced"] == 44 }
        #expect(statistics.current.connectionsClosed["displaced"] == 44)
        #expect(Self.waitForOpenConnections(256, statistics, seconds: 2) == 256)  // the GET's connection closed
    }

    /// 24 clients from two addresses ask for an 8 MiB answer and never read it, with room for
    /// 16 connections and each address allowed all of its answers unread. At most 4 answers are
    /// held while being written (one more displaces the connection writing longest), and another
    /// client's request is answered at once.
    @Test func slowReadersCannotHoldConnectionsOrMemory() throws {
        let statistics = HTTPServerStatistics()
        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, connectionLimit: 16, connectionsPerAddressLimit: 16, answersInFlightLimit: 4,
            unreadAnswersPerAddressLimit: 16)
        let server = try Self.startServer(configuration, statistics: statistics)
        var readers: [RawHTTPClient] = []
        for index in 0..<24 {
            let source = index.isMultiple(of: 2) ? Self.attacker : "127.0.0.3"
            let client = try RawHTTPClient(port: server.boundPort, source: source, receiveBufferBytes: 4096)
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            readers.append(client)
        }
        // Every reader has been handled: 20 gave way to the others, 4 hold their answers.
        Self.waitUntil(seconds: 5) { statistics.current.connectionsClosed["displaced"] == 20 }
        #expect(Self.waitForOpenConnections(4, statistics, seconds: 5) == 4)
        let seconds = try Self.timedGet(server.boundPort, "/scrape")
        print("slow readers: 24 unread 8 MiB answers from 2 addresses, 16 connections; a GET from 127.0.0.1 answered in \(seconds) s")
        #expect(seconds < 3)
        // One more gave way to the GET's answer.
        #expect(statistics.current.connectionsClosed["displaced"] == 21, "\(statistics.current)")
    }

    /// With the default of 2 unread answers per address, the next requests of slow readers are
    /// refused with 429 before their handler runs: nothing more is rendered for them.
    @Test func anAddressWithUnreadAnswersGetsNoMore() throws {
        let statistics = HTTPServerStatistics()
        let handled = Mutex(0)
        raiseOpenFileLimit()
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), statistics: statistics
        ) { request in
            handled.withLock { $0 += 1 }
            return request.path == "/big" ? HTTPResponse(status: 200, body: Self.bigAnswer) : .text(200, request.path)
        }
        var readers: [RawHTTPClient] = []
        for index in 0..<24 {
            let source = index.isMultiple(of: 2) ? Self.attacker : "127.0.0.3"
            let client = try RawHTTPClient(port: server.boundPort, source: source, receiveBufferBytes: 4096)
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            readers.append(client)
            if index == 3 { usleep(400_000) }  // the first two of each address are unread by now
        }
        let statuses = try readers.map { try $0.readResponse(hasBody: false).status }
        let seconds = try Self.timedGet(server.boundPort, "/scrape")
        print("slow readers, 2 unread answers per address: statuses \(statuses); a GET from 127.0.0.1 answered in \(seconds) s")
        #expect(statuses == Array(repeating: 200, count: 4) + Array(repeating: 429, count: 20))
        #expect(statistics.current.serverAnswers == [429: 20])
        #expect(seconds < 3)
        // Another path from a slow reader's address (pushes through a proxy that also carries
        // scrapes) is still answered.
        let push = try RawHTTPClient(port: server.boundPort, source: Self.attacker)
        try push.send("GET /event HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try push.readResponse().bodyText == "/event")
        #expect(handled.withLock { $0 } == 6)  // 4 readers' pages, the GET and the push
    }

    /// A request that trickles in for longer than the read timeout is cut off, however
    /// regularly its bytes come.
    @Test func trickledRequestIsCutAtTheReadTimeout() throws {
        let statistics = HTTPServerStatistics()
        let server = try Self.startServer(readTimeout: 1, statistics: statistics)
        let port = server.boundPort
        let cutOff = Mutex(0)
        let started = Date()
        let finished = DispatchGroup()
        for _ in 0..<20 {
            finished.enter()
            Thread {
                defer { finished.leave() }
                do {
                    let client = try RawHTTPClient(port: port, source: Self.attacker)
                    try client.send("GET /slow HTTP/1.1\r\n")
                    for _ in 0..<40 {  // one header byte every 0.1 s, for 4 s at most
                        try client.send("X")
                        usleep(100_000)
                    }
                } catch {
                    cutOff.withLock { $0 += 1 }
                }
            }.start()
        }
        finished.wait()
        let seconds = Date().timeIntervalSince(started)
        print("read timeout 1 s: 20 trickling clients cut off after \(seconds) s")
        #expect(cutOff.withLock { $0 } == 20)
        #expect(statistics.current.connectionsClosed["read_timeout"] == 20)
        #expect(Self.waitForOpenConnections(0, statistics, seconds: 2) == 0)
    }

    /// A kept-alive connection left unused is closed as idle, not as a late request: that is how
    /// Prometheus' connection ends between scrapes.
    @Test func unusedKeepAliveIsClosedAsIdle() throws {
        let statistics = HTTPServerStatistics()
        let server = try Self.startServer(readTimeout: 0.5, statistics: statistics)
        let client = try RawHTTPClient(port: server.boundPort)
        try client.send("GET /scrape HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().bodyText == "/scrape")
        #expect(try client.readUntilClosed() == [])  // after 0.5 s
        #expect(statistics.current.connectionsClosed["idle_timeout"] == 1)
        #expect(statistics.current.connectionsClosed["read_timeout"] == 0)
    }

    /// 1,500 clients send headers and part of a declared 60,000-byte body, then close at once.
    /// Every slot is freed without waiting for a timeout, and other clients are answered meanwhile.
    @Test func abandonedBodiesFreeTheirConnectionsAtOnce() throws {
        let statistics = HTTPServerStatistics()
        let server = try Self.startServer(statistics: statistics)
        let request = "POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 60000\r\n\r\n" + String(repeating: "a", count: 1000)
        let started = Date()
        for _ in 0..<1500 {
            let client = try RawHTTPClient(port: server.boundPort, source: Self.attacker)
            try client.send(request)
            client.closeNow()
        }
        let burst = Date().timeIntervalSince(started)
        let seconds = try Self.timedGet(server.boundPort, "/-/healthy")
        let open = Self.waitForOpenConnections(0, statistics, seconds: 3)
        let closed = statistics.current.connectionsClosed
        print("abandoned bodies: 1500 in \(burst) s; /-/healthy answered in \(seconds) s; closed by the server: \(closed)")
        #expect(seconds < 3)
        #expect(open == 0)
        #expect(closed["read_timeout"] == 0)
    }

    /// A client that half-closes right after its request (as `nc -N` does) still gets its answer:
    /// a peer's close is only acted on once its bytes have been read.
    @Test func halfClosedClientIsStillAnswered() throws {
        let statistics = HTTPServerStatistics()
        let server = try Self.startServer(statistics: statistics)
        for index in 0..<20 {
            let client = try RawHTTPClient(port: server.boundPort, source: Self.attacker)
            try client.send("GET /half\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            client.finishSending()
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "/half\(index)")
        }
    }

    /// Answers libmicrohttpd gives by itself, before any handler runs, are reported by status.
    @Test func answersLibmicrohttpdGivesItselfAreCounted() throws {
        let statistics = HTTPServerStatistics()
        let server = try Self.startServer(statistics: statistics)
        let requests: [(String, Int)] = [
            ("GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 100_000) + "\r\n\r\n", 431),
            ("GET / HTTP/1.1\r\nHost: x\r\nno colon in this line\r\n\r\n", 400),
            ("GET / HTTP/2.5\r\nHost: x\r\n\r\n", 505),
        ]
        for (request, status) in requests {
            let client = try RawHTTPClient(port: server.boundPort)
            try client.send(request)
            #expect(try client.readResponse().status == status)
        }
        #expect(statistics.current.serverAnswers == [400: 1, 414: 1, 431: 1, 505: 1])
    }

    /// Stopping does not wait for slow clients.
    @Test func stopDoesNotWaitForSlowClients() throws {
        let statistics = HTTPServerStatistics()
        let server = try Self.startServer(statistics: statistics)
        var slow: [RawHTTPClient] = []
        for index in 0..<200 {
            let client = try RawHTTPClient(port: server.boundPort, source: Self.attacker)
            try client.send(index.isMultiple(of: 2) ? "GET /slow HTTP/1.1\r\nHost: x\r\n" : "POST /e HTTP/1.1\r\nContent-Length: 100\r\n\r\nab")
            slow.append(client)
        }
        usleep(200_000)
        let started = Date()
        server.stop()
        let seconds = Date().timeIntervalSince(started)
        print("stop with 200 slow clients connected: \(seconds) s")
        #expect(seconds < 3)
        #expect(try slow[0].readUntilClosed() == [])
    }
}

/// Lifts this process's open-file limit to its hard limit: these tests hold hundreds of sockets.
func raiseOpenFileLimit() {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}
