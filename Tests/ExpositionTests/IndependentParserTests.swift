import Exposition
import Foundation
import TestSupport
import Testing

/// Checks the writer against implementations it shares no code with: promtool (the Go
/// parser and linter Prometheus itself uses) and Python prometheus_client's parsers.
/// A missing tool fails the test with what to install; it is never skipped.
@Suite struct IndependentParserTests {
    @Test func promtoolAcceptsTheTextFormatWithoutLintProblems() throws {
        let promtool = try ExternalTool.find("promtool", install: "apt-get install prometheus")
        let file = try writeRealisticExposition(.prometheusText)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ExternalTool.run(promtool, ["check", "metrics"], input: file)
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "promtool: \(result.output)")
        #expect(result.errors.isEmpty, "promtool: \(result.errors)")
    }

    /// promtool has no OpenMetrics check, but its backfill reads OpenMetrics with the parser
    /// Prometheus scrapes it with. Backfilling needs timestamps, so every sample gets one.
    @Test func prometheusOpenMetricsParserReadsEverySample() throws {
        let promtool = try ExternalTool.find("promtool", install: "apt-get install prometheus")
        var writer = ExpositionWriter(format: .openMetrics)
        RealisticExposition.write(into: &writer)
        let lines = writer.finish().split(separator: UInt8(ascii: "\n"))
        let stamped = lines.flatMap { line in
            line.first == UInt8(ascii: "#") ? line + [UInt8(ascii: "\n")] : line + Array(" 1700000000\n".utf8)
        }
        let file = ExternalTool.temporaryFile("om-stamped.txt")
        let blocks = ExternalTool.temporaryFile("blocks")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: blocks)
        }
        try Data(stamped).write(to: file)
        let result = try ExternalTool.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", file.path, blocks.path])
        try #require(result.status == 0, "promtool: \(result.errors)")
        // The summary row reads: ULID, min time, max time, duration, number of samples, ...
        let sampleCount = RealisticExposition.expected(.openMetrics).map(\.samples.count).reduce(0, +)
        let rows = result.output.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(rows.contains { $0.count > 4 && $0[4] == "\(sampleCount)" }, "promtool: \(result.output)")
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func prometheusClientReadsBackWhatWasWritten(format: ExpositionFormat) throws {
        let python = try ExternalTool.find("python3", install: "apt-get install python3")
        let probe = try ExternalTool.run(python, ["-c", "import prometheus_client"])
        guard probe.status == 0 else {
            Issue.record("Python's prometheus_client is missing; install it: pip install prometheus_client")
            return
        }
        let file = try writeRealisticExposition(format)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ExternalTool.run(
            python, ["-c", Self.parseScript, format == .openMetrics ? "openmetrics" : "text", file.path])
        try #require(result.status == 0, "prometheus_client rejected the exposition: \(result.errors)")
        let report = try JSONDecoder().decode(ParseReport.self, from: Data(result.output.utf8))
        let expected = RealisticExposition.expected(format)
        #expect(report.families.map(\.name) == expected.map(\.name))
        for (parsed, wanted) in zip(report.families, expected) {
            #expect(parsed == wanted)
        }
        #expect(report.uncanonicalLe.isEmpty, "le values Python renders differently: \(report.uncanonicalLe)")
    }

    private struct ParseReport: Decodable {
        var families: [ParsedFamily]
        /// `le` values not equal to prometheus_client's own canonical (Go-style) rendering.
        var uncanonicalLe: [String]
    }

    /// Prints the parsed families as JSON. The file is read with newline="" so a carriage
    /// return inside a label value is not turned into a line break by Python itself.
    private static let parseScript = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families as parse_text
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
        from prometheus_client.utils import floatToGoString
        fmt, path = sys.argv[1], sys.argv[2]
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        parse = parse_openmetrics if fmt == "openmetrics" else parse_text
        families = [
            {"name": f.name, "type": f.type, "help": f.documentation,
             "samples": [{"name": s.name, "labels": s.labels, "value": repr(float(s.value))} for s in f.samples]}
            for f in parse(text)
        ]
        uncanonical = [s["labels"]["le"] for f in families for s in f["samples"]
                       if "le" in s["labels"] and floatToGoString(s["labels"]["le"]) != s["labels"]["le"]]
        print(json.dumps({"families": families, "uncanonicalLe": uncanonical}))
        """

    private func writeRealisticExposition(_ format: ExpositionFormat) throws -> URL {
        var writer = ExpositionWriter(format: format)
        RealisticExposition.write(into: &writer)
        let file = ExternalTool.temporaryFile(format == .openMetrics ? "om.txt" : "text.txt")
        try Data(writer.finish()).write(to: file)
        return file
    }
}
