import AgentEvents
import AgentLedger
import Exposition
import Testing

@testable import VicidialExporter

/// A page rendered in parts on several threads must be byte for byte the page one pass writes.
@Suite struct AgentSectionPartsTests {
    /// 2,503 agents (not a multiple of any part count) in every state, with dispositions,
    /// logouts and unknown events, so each family has series in every part.
    static let snapshot: LedgerSnapshot = {
        var ledger = AgentLedger(configuration: LedgerConfiguration(maxClockSkew: 86_400))
        let start = 1_764_000_000.0
        let scripts: [[(KnownEventOrName, String)]] = [
            [(.known(.loggedIn), "")],
            [(.known(.loggedIn), ""), (.known(.statePaused), "")],
            [(.known(.loggedIn), ""), (.known(.stateReady), ""), (.known(.callAnswered), "")],
            [(.known(.loggedIn), ""), (.known(.callAnswered), ""), (.known(.agentHangup), ""), (.known(.dispoSet), "SALE")],
            [(.known(.loggedIn), ""), (.name("brand_new_event"), ""), (.known(.loggedOut), "NORMAL")],
        ]
        for agent in 0..<2_503 {
            let script = scripts[agent % scripts.count]
            for (counter, (event, message)) in script.enumerated() {
                let second = start + Double(agent % 97 + counter * 30)
                let name: EventName = switch event {
                case .known(let known): .known(known)
                case .name(let raw): EventName(raw)
                }
                _ = ledger.ingest(
                    AgentEvent(
                        user: "agent\(agent)", event: name, message: message, counter: counter, epoch: Int64(second)),
                    receivedAt: second)
            }
        }
        return ledger.snapshot(at: start + 600)
    }()

    enum KnownEventOrName {
        case known(KnownEvent)
        case name(String)
    }

    static func page(parts: Int, format: ExpositionFormat) -> [UInt8] {
        let rendered = AgentSectionParts(parts: parts)
        rendered.render(snapshot, format: format)
        var page: [UInt8] = []
        for region in rendered.regions {
            page += UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: region.address), count: region.count)
        }
        return page
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics], [2, 3, 4])
    func partsJoinIntoTheSinglePassPage(format: ExpositionFormat, parts: Int) {
        let single = Self.page(parts: 1, format: format)
        #expect(single.count > 1_000_000)
        let split = Self.page(parts: parts, format: format)
        #expect(split == single)
    }

    @Test func renderingFewerAgentsAfterMoreLeavesNoStaleBytes() {
        let rendered = AgentSectionParts(parts: 4)
        rendered.render(Self.snapshot, format: .prometheusText)
        var empty = AgentLedger()
        rendered.render(empty.snapshot(at: 1_764_000_000), format: .prometheusText)
        var page: [UInt8] = []
        for region in rendered.regions {
            page += UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: region.address), count: region.count)
        }
        let text = String(decoding: page, as: UTF8.self)
        // Only the families' metadata: no agent's series survives from the first render.
        #expect(!text.contains("user=\""))
        #expect(text.split(separator: "\n").count == AgentFamily.count * 2)
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("# HELP ") || $0.hasPrefix("# TYPE ") })
    }
}
