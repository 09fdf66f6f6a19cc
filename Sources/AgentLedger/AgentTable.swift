/// The ledger's agents in fixed slots, stored in chunks of `chunkSize`.
///
/// A scrape's snapshot shares the chunks (copy-on-write); a change after it copies only the
/// chunk it touches, so neither taking a snapshot nor the first event after one costs a walk
/// over every agent while the ledger is locked.
struct AgentTable: Sendable {
    static let chunkSize = 64

    /// What a snapshot keeps: the chunks and the user order, shared until the table changes.
    struct View: Sendable {
        fileprivate var chunks: [[TrackedAgent]] = []
        /// Occupied slots ordered by user, for a stable exposition order.
        fileprivate(set) var order: [Int32] = []

        var count: Int { order.count }

        subscript(slot: Int32) -> TrackedAgent {
            chunks[Int(slot) / AgentTable.chunkSize][Int(slot) % AgentTable.chunkSize]
        }

        /// Calls `body` with a pointer to each agent at `positions` in user order, valid during
        /// the call only.
        func forEachInOrder(at positions: Range<Int>, _ body: (UnsafePointer<TrackedAgent>) -> Void) {
            for slot in order[positions] { withAgent(in: slot, body) }
        }

        /// Calls `body` with a pointer to the agent in `slot`, valid during the call only.
        func withAgent<Result>(in slot: Int32, _ body: (UnsafePointer<TrackedAgent>) -> Result) -> Result {
            chunks[Int(slot) / AgentTable.chunkSize].withUnsafeBufferPointer { chunk in
                body(chunk.baseAddress! + Int(slot) % AgentTable.chunkSize)
            }
        }

        /// Where `user` is or would go in `order` (binary search by user).
        func orderPosition(of user: String) -> Int {
            var low = 0
            var high = order.count
            while low < high {
                let middle = (low + high) / 2
                if self[order[middle]].user < user { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    private(set) var view = View()
    private var slots: [String: Int32] = [:]
    /// Slots of expired agents, for the next new ones.
    private var freeSlots: [Int32] = []

    var count: Int { slots.count }

    func slot(of user: String) -> Int32? { slots[user] }

    subscript(slot: Int32) -> TrackedAgent {
        get { view[slot] }
        _modify { yield &view.chunks[Int(slot) / Self.chunkSize][Int(slot) % Self.chunkSize] }
    }

    mutating func insert(_ agent: TrackedAgent) -> Int32 {
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            view.chunks[Int(slot) / Self.chunkSize][Int(slot) % Self.chunkSize] = agent
        } else {
            slot = Int32((view.chunks.count - 1) * Self.chunkSize + (view.chunks.last?.count ?? Self.chunkSize))
            if Int(slot) % Self.chunkSize == 0 {
                var chunk: [TrackedAgent] = []
                chunk.reserveCapacity(Self.chunkSize)
                view.chunks.append(chunk)
            }
            view.chunks[view.chunks.count - 1].append(agent)
        }
        slots[agent.user] = slot
        let position = view.orderPosition(of: agent.user)
        view.order.insert(slot, at: position)
        return slot
    }

    mutating func remove(_ slot: Int32) {
        let user = view[slot].user
        view.order.remove(at: view.orderPosition(of: user))
        slots[user] = nil
        view.chunks[Int(slot) / Self.chunkSize][Int(slot) % Self.chunkSize] = .vacant
        freeSlots.append(slot)
    }
}
