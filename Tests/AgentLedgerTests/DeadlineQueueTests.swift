import Testing
@testable import AgentLedger

/// The heap that tells an advance which agents are due, against a plain dictionary model.
@Suite struct DeadlineQueueTests {
    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func takesExactlyTheDueSlotsUnderRandomUpdates(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var queue = DeadlineQueue()
        var model: [Int32: Double] = [:]
        var now = 0.0
        for _ in 0..<600 {
            let slot = Int32.random(in: 0..<50, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                queue.set(slot, to: nil)
                model[slot] = nil
            case 1:
                now += Double.random(in: 0..<20, using: &rng)
                let due = queue.takeDue(at: now)
                let expected = model.filter { $0.value <= now }.keys
                #expect(Set(due) == Set(expected))
                #expect(due.count == expected.count)
                for slot in due { model[slot] = nil }
            default:
                let deadline = now + Double.random(in: -5..<100, using: &rng)
                queue.set(slot, to: deadline)
                model[slot] = deadline
            }
            #expect(queue.count == model.count)
        }
    }

    @Test func dueSlotsComeOutEarliestFirst() {
        var queue = DeadlineQueue()
        for (slot, deadline) in [(4, 40.0), (1, 10), (3, 30), (2, 20), (5, 50)] { queue.set(Int32(slot), to: deadline) }
        queue.set(5, to: 5)
        queue.set(1, to: 45)
        #expect(queue.takeDue(at: 40) == [5, 2, 3, 4])
        #expect(queue.takeDue(at: 44) == [])
        #expect(queue.takeDue(at: 45) == [1])
        #expect(queue.count == 0)
    }
}
