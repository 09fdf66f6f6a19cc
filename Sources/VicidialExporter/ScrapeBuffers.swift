import Exposition
import HTTPServer
import Synchronization

/// The buffers one scrape's page is written into: the agent families' sections, in parts
/// (`AgentSectionParts`), and a tail for the rest (histograms, the exporter's and the process's
/// metrics).
struct ScrapePageBuffers: ~Copyable {
    let agents = AgentSectionParts()
    var tail = OutputBuffer(capacity: 0)

    /// The tail buffer, for a writer; put it back with `tail = writer.finishBuffer()`.
    mutating func takeTail() -> OutputBuffer {
        var taken = OutputBuffer(capacity: 0)
        swap(&taken, &tail)
        return taken
    }

    /// Where each part's bytes are, in page order; they stay put until a buffer is written to.
    var regions: [(address: UInt, count: Int)] {
        var regions = agents.regions
        regions.append(tail.withBytes { (UInt(bitPattern: $0.baseAddress), $0.count) })
        return regions
    }
}

/// The page buffers scrapes are written into, kept for the next scrape.
///
/// A 10,000-agent page is some 10-15 MB. Written into fresh memory, every scrape paid a page
/// fault per 4 KiB (a quarter of its time), then a copy into an array and another into
/// libmicrohttpd's buffer. Here a scrape writes into the buffers the previous one left, and the
/// server sends the page from them (`LentResponseBody`) without joining or copying them; once sent, they
/// come back for the next scrape. One set is kept (about one page's worth of memory); a second
/// scrape running at the same time gets its own, freed after use.
final class ScrapeBuffers: Sendable {
    private let spare = Mutex<ScrapePageBuffers?>(nil)

    func take() -> ScrapePageBuffers {
        spare.withLock { $0.take() } ?? ScrapePageBuffers()
    }

    /// Keeps `buffers` for the next scrape unless a set is already kept.
    func giveBack(_ buffers: consuming ScrapePageBuffers) {
        var returned: ScrapePageBuffers? = buffers
        spare.withLock { spare in
            if spare == nil { spare = returned.take() }
        }
    }

    /// A written page as a response body that returns to these buffers once sent.
    func lend(_ buffers: consuming ScrapePageBuffers) -> ScrapePage {
        ScrapePage(buffers, returningTo: self)
    }
}

/// One scrape's page lent to the HTTP server: its parts written out in order, straight from
/// the buffers (an I/O vector), without joining them; back to `ScrapeBuffers` when released.
final class ScrapePage: LentResponseBody {
    /// Held only to be given back: nothing writes to them while they are lent.
    private let buffers: Mutex<ScrapePageBuffers?>
    private let home: ScrapeBuffers
    /// The parts' bytes, read once: they do not move while the buffers are held here.
    private let regions: [(address: UInt, count: Int)]
    let count: Int

    init(_ buffers: consuming ScrapePageBuffers, returningTo home: ScrapeBuffers) {
        regions = buffers.regions
        count = regions.reduce(0) { $0 + $1.count }
        self.buffers = Mutex(buffers)
        self.home = home
    }

    func forEachRegion(_ body: (UnsafeRawBufferPointer) -> Void) {
        for region in regions where region.count > 0 {
            body(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: region.address), count: region.count))
        }
    }

    deinit {
        if let written = buffers.withLock({ $0.take() }) { home.giveBack(written) }
    }
}
