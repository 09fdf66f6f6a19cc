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
        let destination = UnsafeMutableRawPointer(start + count)
        if bytes.count <= 16 {
            Self.copySmall(bytes.count, from: source, to: destination)
        } else {
            memcpy(destination, source, bytes.count)
        }
        count += bytes.count
    }

    /// Copies 1 to 16 bytes with two (possibly overlapping) loads and stores, without a call:
    /// most appends are pieces that small (a user label, a number, a quote), and calling
    /// `memcpy` for each was a seventh of a scrape's render time.
    @inline(__always)
    private static func copySmall(_ count: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        if count >= 8 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            destination.storeBytes(of: head, as: UInt64.self)
            destination.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            destination.storeBytes(of: head, as: UInt32.self)
            destination.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        } else {
            for index in 0..<count {
                destination.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
            }
        }
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
