import Testing
@testable import AgentLedger

/// The chunked slots behind the ledger: user order, slot reuse, and snapshots that do not move.
@Suite struct AgentTableTests {
    private static func agent(_ user: String, at time: Double = 0) -> TrackedAgent {
        TrackedAgent(user: user, receivedAt: time, advancesSeen: 0)
    }

    private static func users(_ view: AgentTable.View) -> [String] {
        view.order.map { view[$0].user }
    }

    @Test func keepsUsersInOrderAcrossChunksAndReusesFreedSlots() {
        var table = AgentTable()
        var rng = SplitMix64(seed: 7)
        var expected: Set<String> = []
        for index in 0..<300 {
            let user = "u\(Int.random(in: 0..<1000, using: &rng))"
            if expected.contains(user), let slot = table.slot(of: user) {
                table.remove(slot)
                expected.remove(user)
            } else if !expected.contains(user) {
                _ = table.insert(Self.agent(user, at: Double(index)))
                expected.insert(user)
            }
            #expect(Self.users(table.view) == expected.sorted())
            #expect(table.count == expected.count)
        }
        // Slots freed by removals are taken again before the table grows.
        let highest = expected.compactMap { table.slot(of: $0) }.max()!
        #expect(Int(highest) < 300)
    }

    @Test func aViewTakenBeforeAChangeStaysAsItWas() {
        var table = AgentTable()
        for index in 0..<130 { _ = table.insert(Self.agent(String(format: "a%03d", index))) }
        let before = table.view
        let slot = table.slot(of: "a070")!
        table[slot].stream = AgentStream(receivedAt: 99)
        table.remove(table.slot(of: "a001")!)
        _ = table.insert(Self.agent("zz"))
        #expect(before.count == 130)
        #expect(before[slot].stream.lastReceivedAt == 0)
        #expect(Self.users(before).first == "a000" && Self.users(before)[1] == "a001")
        #expect(table.view[slot].stream.lastReceivedAt == 99)
        #expect(Self.users(table.view).last == "zz" && table.count == 130)
    }
}
