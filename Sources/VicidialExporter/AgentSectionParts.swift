import AgentLedger
import Dispatch
import Exposition
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The agent families of one page, rendered in parts on several threads at once.
///
/// Each part takes a contiguous run of agents in user order and writes it into a section per
/// family; the page sends, family by family, each part's section in turn (`regions`), so the
/// text is byte for byte what one pass would write. Only the first part writes the families'
/// HELP and TYPE lines.
///
/// Why: rendering 10,000 agents (some 13 MB) takes about 20 ms of one core, most of a scrape.
/// Split over the machine's cores, at most `maxParts` of them, a scrape finishes sooner; the
/// CPU it costs is the same. Pages of fewer than `agentsPerPart` agents a part stay on one thread.
struct AgentSectionParts {
    /// One part's buffers, kept between scrapes. A class, so each rendering thread reaches its
    /// own part and nothing else; the lock is never contended (one thread per part) and makes
    /// the handover between threads safe.
    final class Part: Sendable {
        let sections = Mutex(AgentFamilySections { _ in OutputBuffer(capacity: 0) })
    }

    static let maxParts = 4
    static let agentsPerPart = 1_000
    /// The parts a page is rendered in on this machine: its online CPUs, at most `maxParts`.
    static let partsOnThisMachine = max(1, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), maxParts))

    private let parts: [Part]

    init(parts count: Int = partsOnThisMachine) {
        parts = (0..<max(1, count)).map { _ in Part() }
    }

    /// Renders the snapshot's agents into the parts; parts left without agents are emptied.
    func render(_ snapshot: LedgerSnapshot, format: ExpositionFormat) {
        let agents = snapshot.agentCount
        let used = min(parts.count, max(1, agents / Self.agentsPerPart))
        let parts = self.parts
        let renderPart: @Sendable (Int) -> Void = { index in
            // Runs of equal length, the first ones one agent longer when it does not divide.
            let start = agents * index / used
            let end = agents * (index + 1) / used
            parts[index].sections.withLock { sections in
                ExpositionWriter.writeAgentMetrics(
                    snapshot, at: start..<end, metadata: index == 0, format: format, into: &sections)
            }
        }
        if used == 1 {
            renderPart(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: used, execute: renderPart)
        }
        for part in parts[used...] {
            part.sections.withLock { sections in
                for index in sections.indices { sections[index].removeAll() }
            }
        }
    }

    /// Where the rendered bytes are, in page order: each family's sections, part by part.
    var regions: [(address: UInt, count: Int)] {
        var regions: [(address: UInt, count: Int)] = []
        for family in 0..<AgentFamily.count {
            for part in parts {
                regions.append(part.sections.withLock { sections in
                    sections[family].withBytes { (UInt(bitPattern: $0.baseAddress), $0.count) }
                })
            }
        }
        return regions
    }
}
