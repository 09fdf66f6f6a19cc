import Exposition

/// The samples `backfill` collects, series by series, and the OpenMetrics file they become.
///
/// Each sample comes in as one rendered OpenMetrics exposition (the exporter's own writer, at
/// one step); its lines are taken apart into family metadata and `series value` lines. A
/// series keeps its text once, the steps it was seen at as runs of consecutive steps, and its
/// values as bytes: a value repeated from its previous sample costs one byte, another its text
/// and a length byte. So memory is about (series × their text) + (samples × 1 to 12 bytes):
/// see docs/backfill.md for the sizes.
///
/// Written out, each family's metadata comes once, followed by every sample of each of its
/// series in turn, in increasing time, each with its timestamp in seconds; then `# EOF`.
public struct BackfillSeries {
    struct Run {
        var first: UInt32
        var count: UInt32
    }

    struct Series {
        let text: [UInt8]
        var runs: [Run] = []
        /// Per sample: 0 (the previous sample's value again) or a length and that many bytes.
        var values: [UInt8] = []
        /// Where the last distinct value's bytes start in `values`, and how many.
        var last: (start: Int, count: Int) = (0, 0)
    }

    struct Family {
        /// `# TYPE`, `# HELP` and `# UNIT` lines, as the writer wrote them the first time.
        var metadata: [UInt8]
        var index: [[UInt8]: Int] = [:]
        var series: [Series] = []
    }

    private var families: [Family] = []
    private var familyIndex: [[UInt8]: Int] = [:]
    public private(set) var sampleCount = 0

    public init() {}

    /// Series in all families.
    public var seriesCount: Int { families.reduce(0) { $0 + $1.series.count } }

    /// Takes the samples of one OpenMetrics exposition (no timestamps) as step `step`.
    public mutating func add(exposition bytes: UnsafeRawBufferPointer, step: UInt32) {
        var current: Int?
        var collectingMetadata = false
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            guard let first = line.first else { continue }
            if first == UInt8(ascii: "#") {
                if Self.hasPrefix(line, "# TYPE ") {
                    let name = Array(line.dropFirst(7).prefix { $0 != UInt8(ascii: " ") })
                    if let known = familyIndex[name] {
                        current = known
                        collectingMetadata = false
                    } else {
                        current = families.count
                        familyIndex[name] = families.count
                        families.append(Family(metadata: []))
                        collectingMetadata = true
                    }
                }
                if collectingMetadata, let current, !Self.hasPrefix(line, "# EOF") {
                    families[current].metadata.append(contentsOf: line)
                    families[current].metadata.append(UInt8(ascii: "\n"))
                }
                continue
            }
            collectingMetadata = false
            guard let current, let space = line.lastIndex(of: UInt8(ascii: " ")) else { continue }
            add(text: Array(line[..<space]), value: UnsafeRawBufferPointer(rebasing: line[(space + 1)...]), step: step, to: current)
        }
    }

    private mutating func add(text: [UInt8], value: UnsafeRawBufferPointer, step: UInt32, to family: Int) {
        let position: Int
        if let known = families[family].index[text] {
            position = known
        } else {
            position = families[family].series.count
            families[family].index[text] = position
            families[family].series.append(Series(text: text))
        }
        families[family].series[position].append(value, at: step)
        sampleCount += 1
    }

    /// Writes the OpenMetrics file in chunks of about `chunkBytes`, each handed to `sink`:
    /// step `n` is at `firstMilliseconds + n × stepMilliseconds`; every series gets `labels`
    /// (e.g. the `job` and `instance` Prometheus gives the scraped series) first. Families
    /// without series are left out.
    public func write<Failure: Error>(
        firstMilliseconds: Int64, stepMilliseconds: Int64, labels: [(name: String, value: String)] = [],
        chunkBytes: Int = 1 << 20, to sink: ([UInt8]) throws(Failure) -> Void
    ) throws(Failure) {
        let extra = labels.flatMap { ExpositionWriter.renderedPair($0.name, $0.value) }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(chunkBytes + 4096)
        for family in families where !family.series.isEmpty {
            chunk.append(contentsOf: family.metadata)
            for series in family.series {
                let text = Self.labelled(series.text, with: extra)
                var offset = 0
                var value = 0..<0
                for run in series.runs {
                    for step in run.first..<(run.first + run.count) {
                        let length = Int(series.values[offset])
                        if length > 0 { value = (offset + 1)..<(offset + 1 + length) }
                        offset += 1 + length
                        chunk.append(contentsOf: text)
                        chunk.append(UInt8(ascii: " "))
                        chunk.append(contentsOf: series.values[value])
                        chunk.append(UInt8(ascii: " "))
                        Self.appendSeconds(milliseconds: firstMilliseconds + Int64(step) * stepMilliseconds, to: &chunk)
                        chunk.append(UInt8(ascii: "\n"))
                        if chunk.count >= chunkBytes {
                            try sink(chunk)
                            chunk.removeAll(keepingCapacity: true)
                        }
                    }
                }
            }
        }
        chunk.append(contentsOf: Array("# EOF\n".utf8))
        try sink(chunk)
    }

    /// `name{labels}` with `extra` (`,a="b"` pairs) put first among its labels.
    static func labelled(_ text: [UInt8], with extra: [UInt8]) -> [UInt8] {
        guard !extra.isEmpty else { return text }
        let pairs = extra.dropFirst()  // the leading comma
        guard let brace = text.firstIndex(of: UInt8(ascii: "{")) else { return text + [UInt8(ascii: "{")] + pairs + [UInt8(ascii: "}")] }
        var labelled = Array(text[...brace])
        labelled += pairs
        labelled.append(UInt8(ascii: ","))
        labelled += text[(brace + 1)...]
        return labelled
    }

    /// `1764000000` or `1764000000.25`: milliseconds as seconds, without trailing zeros.
    static func appendSeconds(milliseconds: Int64, to bytes: inout [UInt8]) {
        if milliseconds < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = milliseconds.magnitude
        bytes.append(contentsOf: Array(String(magnitude / 1000).utf8))
        var fraction = magnitude % 1000
        guard fraction > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: digits - text.count))
        bytes.append(contentsOf: Array(text.utf8))
    }

    private static func hasPrefix(_ line: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        line.count >= prefix.utf8CodeUnitCount
            && prefix.withUTF8Buffer { prefix in prefix.indices.allSatisfy { line[$0] == prefix[$0] } }
    }
}

extension BackfillSeries.Series {
    /// Records `value` at `step` (after every step recorded so far).
    mutating func append(_ value: UnsafeRawBufferPointer, at step: UInt32) {
        if let last = runs.last, last.first + last.count == step {
            runs[runs.count - 1].count += 1
        } else {
            runs.append(.init(first: step, count: 1))
        }
        let previous = values[last.start..<(last.start + last.count)]
        if last.count > 0 && previous.elementsEqual(value) {
            values.append(0)
            return
        }
        precondition(value.count > 0 && value.count < 256, "a sample value is a short number")
        values.append(UInt8(value.count))
        last = (values.count, value.count)
        values.append(contentsOf: value)
    }
}
