/// When each agent next needs the ledger's attention without a push of its own: a held event's
/// wait ends, or its silence reaches the session timeout or the expiry.
///
/// A binary min-heap indexed by slot: setting an agent's deadline is O(log n), and an advance
/// takes only the agents that are due instead of walking them all.
struct DeadlineQueue: Sendable {
    private var heap: [(deadline: Double, slot: Int32)] = []
    /// Each slot's index in `heap`, or -1.
    private var positions: [Int32] = []

    var count: Int { heap.count }

    /// Sets (nil: clears) the deadline of `slot`. A NaN deadline (only a crafted snapshot can
    /// hold the times it comes from) is due at once: in the heap it would compare false with
    /// everything and could stop every other agent from coming due.
    mutating func set(_ slot: Int32, to deadline: Double?) {
        let deadline = deadline.map { $0.isNaN ? -.infinity : $0 }
        let index = Int(slot)
        if index >= positions.count { positions += Array(repeating: -1, count: index + 1 - positions.count) }
        let position = Int(positions[index])
        guard let deadline else {
            if position >= 0 { remove(at: position) }
            return
        }
        if position < 0 {
            heap.append((deadline, slot))
            positions[index] = Int32(heap.count - 1)
            siftUp(heap.count - 1)
        } else {
            let earlier = deadline < heap[position].deadline
            heap[position].deadline = deadline
            if earlier { siftUp(position) } else { siftDown(position) }
        }
    }

    /// Takes out every slot whose deadline is at or before `now`.
    mutating func takeDue(at now: Double) -> [Int32] {
        var due: [Int32] = []
        while let first = heap.first, first.deadline <= now {
            due.append(first.slot)
            remove(at: 0)
        }
        return due
    }

    private mutating func remove(at position: Int) {
        positions[Int(heap[position].slot)] = -1
        let last = heap.removeLast()
        guard position < heap.count else { return }
        heap[position] = last
        positions[Int(last.slot)] = Int32(position)
        siftDown(position)
        siftUp(position)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let smaller = right < heap.count && heap[right].deadline < heap[left].deadline ? right : left
            guard heap[smaller].deadline < heap[parent].deadline else { return }
            swapAt(parent, smaller)
            parent = smaller
        }
    }

    private mutating func swapAt(_ first: Int, _ second: Int) {
        heap.swapAt(first, second)
        positions[Int(heap[first].slot)] = Int32(first)
        positions[Int(heap[second].slot)] = Int32(second)
    }
}
