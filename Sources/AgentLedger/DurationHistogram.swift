/// A fixed-bucket histogram of durations in seconds, as Prometheus exposes it.
public struct DurationHistogram: Sendable, Codable, Equatable {
    public let upperBounds: [Double]
    /// Observations per bucket (not cumulative); the last slot holds those above every bound.
    private var bucketCounts: [UInt64]
    public private(set) var count: UInt64 = 0
    public private(set) var sum: Double = 0

    public init(upperBounds: [Double]) {
        precondition(zip(upperBounds, upperBounds.dropFirst()).allSatisfy(<), "bounds must ascend")
        self.upperBounds = upperBounds
        self.bucketCounts = Array(repeating: 0, count: upperBounds.count + 1)
    }

    public mutating func observe(_ seconds: Double) {
        let slot = upperBounds.firstIndex { seconds <= $0 } ?? upperBounds.count
        bucketCounts[slot] += 1
        count += 1
        sum += seconds
    }

    /// Cumulative counts per upper bound (the `+Inf` bucket is `count`).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return upperBounds.indices.map { index in
            running += bucketCounts[index]
            return running
        }
    }
}

/// The ledger's histograms; they carry no user label, to keep cardinality flat.
public struct LedgerHistograms: Sendable, Codable, Equatable {
    /// Per call: call_answered to the end of TALK (talk + dead).
    public var callDuration = DurationHistogram(upperBounds: [5, 10, 20, 30, 60, 120, 180, 300, 600, 900, 1800, 3600])
    /// Per pause interval.
    public var pauseDuration = DurationHistogram(upperBounds: [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200])
    /// Per dispo interval: end of TALK to dispo_set.
    public var dispoDuration = DurationHistogram(upperBounds: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600])

    public init() {}
}
