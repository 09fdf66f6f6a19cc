import Exposition
import HTTPServer
import Synchronization

/// The buffers scrapes are written into, kept for the next scrape.
///
/// A 10,000-agent exposition is some 15 MB. Written into fresh memory, every scrape paid a page
/// fault per 4 KiB (a quarter of its time) and then a copy into libmicrohttpd's own buffer. Here
/// a scrape writes into the buffer the previous one left, and the server sends it from there
/// (`LentResponseBody`); once sent, it comes back for the next scrape. One buffer (and one set
/// of agent-family sections) is kept; a second scrape running at the same time gets its own,
/// freed after use. What stays resident between scrapes is about twice a scrape's size.
final class ScrapeBuffers: Sendable {
    private let spare = Mutex<OutputBuffer?>(nil)
    private let spareSections = Mutex<AgentFamilySections?>(nil)

    /// The agent families' buffers for one scrape (kept ones, or new and empty).
    func takeSections() -> AgentFamilySections {
        spareSections.withLock { $0.take() } ?? AgentFamilySections { _ in OutputBuffer(capacity: 0) }
    }

    /// Keeps `sections` for the next scrape unless a set is already kept.
    func giveBack(sections: consuming AgentFamilySections) {
        var returned: AgentFamilySections? = sections
        spareSections.withLock { spare in
            if spare == nil { spare = returned.take() }
        }
    }

    /// A buffer for one scrape: the spare if there is one, else a new one of `capacity` bytes.
    func take(capacity: Int) -> OutputBuffer {
        spare.withLock { $0.take() } ?? OutputBuffer(capacity: capacity)
    }

    /// Keeps `buffer` for the next scrape unless one is already kept.
    func giveBack(_ buffer: consuming OutputBuffer) {
        var returned: OutputBuffer? = buffer
        spare.withLock { spare in
            if spare == nil { spare = returned.take() }
        }
    }

    /// A written buffer as a response body that returns to these buffers once sent.
    func lend(_ buffer: consuming OutputBuffer) -> LentScrape {
        LentScrape(buffer, returningTo: self)
    }
}

/// One scrape's exposition lent to the HTTP server; back to `ScrapeBuffers` when released.
final class LentScrape: LentResponseBody {
    /// Held only to be given back: nothing writes to it while it is lent.
    private let buffer: Mutex<OutputBuffer?>
    private let buffers: ScrapeBuffers
    /// Where its bytes are, read once: they do not move while the buffer is held here.
    private let address: UInt
    let count: Int

    init(_ buffer: consuming OutputBuffer, returningTo buffers: ScrapeBuffers) {
        (address, count) = buffer.withBytes { (UInt(bitPattern: $0.baseAddress), $0.count) }
        self.buffer = Mutex(buffer)
        self.buffers = buffers
    }

    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count))
    }

    deinit {
        if let written = buffer.withLock({ $0.take() }) { buffers.giveBack(written) }
    }
}
