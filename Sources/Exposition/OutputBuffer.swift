#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exposition being written: raw memory grown by doubling, appended to with `memcpy`.
///
/// Why not `[UInt8]`: a scrape of 10,000 agents is some 250,000 lines of a few dozen small
/// appends each, and every `Array.append` checks uniqueness and capacity through generic code;
/// that overhead, not the copying, was most of the writer's time. A scrape's buffer is also
/// reused by the next scrape and lent to the HTTP server as is (see `ScrapeBuffers`).
public struct OutputBuffer: ~Copyable, ByteSink {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        start[count] = byte
        count += 1
    }

    mutating func append(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if capacity - count < bytes.count { grow(toHold: bytes.count) }
        memcpy(start + count, source, bytes.count)
        count += bytes.count
    }

    /// The bytes written, as an array (one copy).
    consuming func bytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: start, count: count))
    }

    /// The bytes written; they stay where they are until the buffer is written to or dropped.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Empties the buffer for reuse, keeping its memory (and its pages resident).
    public mutating func removeAll() { count = 0 }

    private mutating func grow(toHold extra: Int) {
        var newCapacity = capacity * 2
        while newCapacity - count < extra { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: start, count: count)
        start.deallocate()
        start = grown
        capacity = newCapacity
    }
}

// It owns its memory alone (noncopyable: no two values ever share it), so sending one to
// another thread hands the memory over whole; nothing else can reach it.
extension OutputBuffer: @unchecked Sendable {}
