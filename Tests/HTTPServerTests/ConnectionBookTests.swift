import Testing
@testable import HTTPServer

/// The connection rules, decided without sockets: which connection gives way, when, and why.
@Suite struct ConnectionBookTests {
    static let limits = ConnectionBook.Limits(
        maxConnections: 4, maxConnectionsPerAddress: 2, maxAnswersInFlight: 2, maxUnreadAnswersPerAddress: 1,
        readTimeout: 10)

    /// `requestArrived` for use inside `#expect`, which cannot take a mutating call.
    static func arrive(_ book: inout ConnectionBook, _ key: UInt, path: String = "/metrics") -> Bool {
        book.requestArrived(key, path: path)
    }

    static func described(_ shutdowns: ConnectionBook.Shutdowns) -> [String] {
        shutdowns.map { "\($0.socket) \($0.reason.rawValue)" }
    }

    /// Socket numbers are the keys plus 100, so the answers are easy to read.
    static func open(_ book: inout ConnectionBook, _ key: UInt, _ address: String, at time: Double) -> [String] {
        described(book.opened(key, socket: Int32(key) + 100, address: address, at: time))
    }

    @Test func withinTheLimitsEveryConnectionIsAdmitted() {
        var book = ConnectionBook(limits: Self.limits)
        #expect(Self.open(&book, 1, "a", at: 0) == [])
        #expect(Self.open(&book, 2, "a", at: 1) == [])
        #expect(Self.open(&book, 3, "b", at: 2) == [])
        #expect(book.live == 3)
    }

    /// What a clean stop waits for: a request whose headers are in, until its answer is sent;
    /// not a connection that is idle or still trickling its headers.
    @Test func busyCountsRequestsFromCompleteHeadersToAnswerSent() {
        var book = ConnectionBook(limits: Self.limits)
        _ = Self.open(&book, 1, "a", at: 0)
        _ = Self.open(&book, 2, "b", at: 0)
        #expect(book.busy == 0)
        book.requestBegan(1)
        book.requestBegan(2)
        #expect(book.busy == 0, "headers still arriving")
        book.headersArrived(1)
        #expect(book.busy == 1, "body arriving")
        #expect(Self.arrive(&book, 1))
        #expect(book.busy == 1, "handling")
        #expect(book.answerQueued(1, at: 1).isEmpty)
        #expect(book.busy == 1, "answer being written")
        book.answerSent(1, at: 2)
        #expect(book.busy == 0)
        _ = book.shutDownAll()
        book.headersArrived(2)
        #expect(book.busy == 0, "a connection shut down is not waited for")
    }

    @Test func anAddressAtItsLimitDisplacesItsOwnLongestWaitingConnection() {
        var book = ConnectionBook(limits: Self.limits)
        _ = Self.open(&book, 1, "a", at: 0)
        _ = Self.open(&book, 2, "a", at: 1)
        _ = Self.open(&book, 3, "b", at: 0.5)  // waited longer, but another address: untouched
        #expect(Self.open(&book, 4, "a", at: 2) == ["101 displaced"])
        #expect(book.live == 3)
        book.closed(1)  // MHD cleans the displaced connection up: nothing more to release
        #expect(book.live == 3)
        #expect(Self.open(&book, 5, "b", at: 3) == [])
        #expect(book.live == 4)
    }

    @Test func handledConnectionsAreNeverDisplacedAndTheNewOneIsRefused() {
        var book = ConnectionBook(limits: Self.limits)
        _ = Self.open(&book, 1, "a", at: 0)
        _ = Self.open(&book, 2, "a", at: 1)
        _ = book.requestArrived(1, path: "/metrics")
        _ = book.requestArrived(2, path: "/metrics")
        #expect(Self.open(&book, 3, "a", at: 2) == ["103 per_address_limit"])
        #expect(book.live == 2)
        book.closed(3)
        #expect(book.live == 2)
        // Once its answer is being written, the connection may give way; so it may once it waits again.
        #expect(Self.described(book.answerQueued(2, at: 3)) == [])
        #expect(Self.open(&book, 4, "a", at: 4) == ["102 displaced"])
        _ = book.requestArrived(4, path: "/metrics")
        book.answerSent(1, at: 5)
        #expect(Self.open(&book, 5, "a", at: 6) == ["101 displaced"])
    }

    /// A waiting connection gives way before one whose answer is being written, and among
    /// writers the one writing longest (a slow reader) goes first.
    @Test func waitingConnectionsGiveWayBeforeWritersAndWritersOldestFirst() {
        var book = ConnectionBook(limits: Self.limits)
        for (key, address) in [(1, "a"), (2, "b"), (3, "c"), (4, "d")] as [(UInt, String)] {
            _ = Self.open(&book, key, address, at: Double(key))
            _ = book.requestArrived(key, path: "/metrics")
        }
        _ = book.answerQueued(3, at: 10)
        _ = book.answerQueued(2, at: 11)
        book.answerSent(4, at: 12)
        #expect(Self.open(&book, 5, "e", at: 13) == ["104 displaced"])
        _ = book.requestArrived(5, path: "/metrics")
        #expect(Self.open(&book, 6, "f", at: 14) == ["103 displaced"])
    }

    /// Each answer being written holds its body: one past `maxAnswersInFlight` displaces the
    /// connection that has been writing longest, never the one just queued.
    @Test func answersInFlightAreCapped() {
        var book = ConnectionBook(limits: Self.limits)
        for key: UInt in 1...3 {
            _ = Self.open(&book, key, "a\(key)", at: 0)
            _ = book.requestArrived(key, path: "/metrics")
        }
        #expect(Self.described(book.answerQueued(2, at: 1)) == [])
        #expect(Self.described(book.answerQueued(1, at: 2)) == [])
        #expect(Self.described(book.answerQueued(3, at: 3)) == ["102 displaced"])
        book.answerSent(1, at: 4)
        #expect(Self.described(book.answerQueued(1, at: 5)) == [])
    }

    /// An address that has left an answer unread (still being written a sweep later) may not
    /// have another request handled (this book allows one per address); a quick answer never counts.
    @Test func anAddressWithUnreadAnswersIsRefusedMore() {
        var book = ConnectionBook(limits: Self.limits)
        _ = Self.open(&book, 1, "a", at: 0)
        _ = Self.open(&book, 2, "a", at: 0)
        _ = Self.open(&book, 3, "b", at: 0)
        #expect(Self.arrive(&book, 1))
        _ = book.answerQueued(1, at: 1)
        _ = book.sweep(at: 1.05, peerClosed: [])
        #expect(Self.arrive(&book, 2))  // 1's answer is not unread yet
        _ = book.answerQueued(2, at: 1.05)
        book.answerSent(2, at: 1.06)
        _ = book.sweep(at: 1.1, peerClosed: [])
        #expect(!Self.arrive(&book, 2))  // 1's answer is now unread
        #expect(Self.arrive(&book, 2, path: "/event"))  // another path of the same address
        #expect(Self.arrive(&book, 3))  // another address
        _ = book.answerQueued(2, at: 1.2)  // the refusal is sent
        book.answerSent(2, at: 1.2)
        book.answerSent(1, at: 2)
        #expect(Self.arrive(&book, 2))
        _ = book.answerQueued(2, at: 3)
        _ = book.sweep(at: 3.5, peerClosed: [])
        book.closed(2)  // closing releases its unread answer too
        #expect(Self.arrive(&book, 1))
    }

    @Test func theServerAtItsLimitDisplacesTheLongestWaitingOfAnyAddress() {
        var book = ConnectionBook(limits: Self.limits)
        for (key, address) in [(1, "a"), (2, "b"), (3, "c"), (4, "d")] as [(UInt, String)] {
            _ = Self.open(&book, key, address, at: Double(key))
        }
        _ = book.requestArrived(1, path: "/metrics")
        #expect(Self.open(&book, 5, "e", at: 5) == ["102 displaced"])
        for key: UInt in [3, 4, 5] { _ = book.requestArrived(key, path: "/metrics") }
        #expect(Self.open(&book, 6, "f", at: 6) == ["106 limit"])  // every live connection is being handled
        #expect(book.live == 4)
    }

    /// A request must arrive whole within the read timeout, however slowly it trickles; the
    /// wait starts again after each answer on a kept-alive connection.
    @Test func waitsEndAtTheReadTimeout() {
        var book = ConnectionBook(limits: Self.limits)
        _ = Self.open(&book, 1, "a", at: 0)
        _ = Self.open(&book, 2, "a", at: 5)
        #expect(book.sweep(at: 9.9, peerClosed: []).isEmpty)
        #expect(book.sweep(at: 10, peerClosed: []).map(\.socket) == [101])
        _ = book.requestArrived(2, path: "/metrics")
        #expect(book.sweep(at: 100, peerClosed: []).isEmpty)
        _ = book.answerQueued(2, at: 100)
        #expect(book.sweep(at: 200, peerClosed: [2]).isEmpty)  // writing: MHD sees a close itself
        book.answerSent(2, at: 100)
        #expect(book.sweep(at: 109, peerClosed: []).isEmpty)
        #expect(book.sweep(at: 110, peerClosed: []).map { "\($0.socket) \($0.reason.rawValue)" } == ["102 idle_timeout"])
        // A request begun on a kept-alive connection and not finished in time is late, not idle.
        _ = Self.open(&book, 3, "a", at: 200)
        _ = Self.arrive(&book, 3)
        _ = book.answerQueued(3, at: 200)
        book.answerSent(3, at: 200)
        book.requestBegan(3)
        #expect(Self.described(book.sweep(at: 210, peerClosed: [])) == ["103 read_timeout"])
        #expect(book.live == 0)
    }

    /// A peer's close is acted on once it has lasted the grace period, so a request sent just
    /// before a half-close is still read; a busy connection's peer close is left to MHD.
    @Test func aClosedPeerIsShutDownAfterTheGrace() {
        var book = ConnectionBook(limits: Self.limits)
        _ = Self.open(&book, 1, "a", at: 0)
        _ = Self.open(&book, 2, "b", at: 0)
        #expect(book.sweep(at: 1.0, peerClosed: [1]).isEmpty)
        #expect(book.sweep(at: 1.1, peerClosed: []).isEmpty)  // not seen again: forgotten
        #expect(book.sweep(at: 1.2, peerClosed: [1]).isEmpty)
        #expect(book.sweep(at: 1.5, peerClosed: [1]).map { "\($0.socket) \($0.reason.rawValue)" } == ["101 peer_closed"])
        _ = book.requestArrived(2, path: "/metrics")
        #expect(book.waiting.map(\.key) == [])
    }

    @Test func shutDownAllTakesEveryLiveConnection() {
        var book = ConnectionBook(limits: Self.limits)
        _ = Self.open(&book, 1, "a", at: 0)
        _ = Self.open(&book, 2, "b", at: 0)
        _ = book.requestArrived(2, path: "/metrics")
        #expect(book.shutDownAll().sorted() == [101, 102])
        #expect(book.shutDownAll() == [])
        #expect(book.live == 0)
    }
}
