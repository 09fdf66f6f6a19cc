import HTTPServer
import Logging
import Synchronization
import Testing
@testable import VicidialExporter

/// The logfmt and JSON log lines, as the Go exporters write them.
struct StructuredLogHandlerTests {
    @Test(arguments: [
        ("listening", "msg=listening"),
        (":9848", "msg=:9848"),
        ("hello world", #"msg="hello world""#),
        ("a=b", #"msg="a=b""#),
        (#"say "hi""#, #"msg="say \"hi\"""#),
        ("", #"msg="""#),
        ("two\nlines", #"msg="two\nlines""#),
        ("tab\there", #"msg="tab\there""#),
        ("cr\r", #"msg="cr\r""#),
        ("bell\u{07}", #"msg="bell\u0007""#),
        (#"C:\dir"#, #"msg=C:\dir"#),
        (#"C:\my dir"#, #"msg="C:\\my dir""#),
        ("Zo\u{EB}", "msg=Zo\u{EB}"),
    ])
    func logfmtValue(value: String, expected: String) {
        #expect(StructuredLogHandler.line([("msg", value)], format: .logfmt) == expected + "\n")
    }

    @Test func logfmtLine() {
        let fields = [("ts", "2026-11-26T07:55:00.123Z"), ("level", "info"), ("msg", "listening"), ("address", ":9848")]
        #expect(StructuredLogHandler.line(fields, format: .logfmt) == "ts=2026-11-26T07:55:00.123Z level=info msg=listening address=:9848\n")
    }

    @Test func jsonLine() {
        let fields = [
            ("ts", "2026-11-26T07:55:00.123Z"), ("level", "warn"),
            ("msg", "a \"q\" \\ / \n\t\r\u{01}\u{1F} Zo\u{EB} \u{65E5}"), ("empty", ""), ("we\"ird", "x"),
        ]
        #expect(StructuredLogHandler.line(fields, format: .json) == #"""
            {"ts":"2026-11-26T07:55:00.123Z","level":"warn","msg":"a \"q\" \\ / \n\t\r\u0001\u001f Zoë 日","empty":"","we\"ird":"x"}

            """#)
    }

    @Test func levelNames() {
        let sink = LineSink()
        var logger = Logger(label: "test") { _ in StructuredLogHandler(label: "test", format: .logfmt, level: .trace, write: sink.write) }
        logger.logLevel = .trace
        logger.trace("t")
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.warning("w")
        logger.error("e")
        logger.critical("c")
        #expect(sink.linesWithoutTimestamp() == [
            "level=debug msg=t", "level=debug msg=d", "level=info msg=i", "level=info msg=n", "level=warn msg=w",
            "level=error msg=e", "level=error msg=c",
        ])
    }

    @Test func belowLevelIsDropped() {
        let sink = LineSink()
        let logger = Logger(label: "test") { _ in StructuredLogHandler(label: "test", format: .logfmt, level: .info, write: sink.write) }
        logger.debug("hidden")
        logger.info("shown")
        #expect(sink.linesWithoutTimestamp() == ["level=info msg=shown"])
    }

    /// Handler metadata and the message's are merged (the message's win) and sorted by key.
    @Test(arguments: [LogFormat.logfmt, .json])
    func metadataMergedAndSorted(format: LogFormat) {
        let sink = LineSink()
        var logger = Logger(label: "test") { _ in StructuredLogHandler(label: "test", format: format, level: .info, write: sink.write) }
        logger[metadataKey: "z"] = "handler"
        logger[metadataKey: "b"] = "1"
        logger.info("merged", metadata: ["z": "event", "a": "two words"])
        let expected =
            switch format {
            case .logfmt: #"level=info msg=merged a="two words" b=1 z=event"#
            case .json: #""level":"info","msg":"merged","a":"two words","b":"1","z":"event"}"#
            }
        #expect(sink.linesWithoutTimestamp() == [expected])
        #expect(logger[metadataKey: "z"] == "handler")
    }

    /// What the exporter itself logs while handling events.
    @Test func exporterLogLines() {
        let sink = LineSink()
        let logger = Logger(label: "test") { _ in StructuredLogHandler(label: "test", format: .logfmt, level: .debug, write: sink.write) }
        let exporter = Exporter(configuration: ExporterConfiguration(), clock: ManualClock(1_764_000_000), logger: logger, readProcessStats: { nil })
        _ = exporter.handle(HTTPRequest(method: "GET", path: "/event", query: "user=6666&event=brand_new_event"))
        _ = exporter.handle(HTTPRequest(method: "GET", path: "/event", query: "user=6666&event=brand_new_event"))
        _ = exporter.handle(HTTPRequest(method: "GET", path: "/event", query: "event=state_ready"))
        #expect(sink.linesWithoutTimestamp() == [
            #"level=warn msg="unknown event name, counted under its own name (newer VICIdial?)" event=brand_new_event user=6666"#,
            #"level=debug msg="event rejected" client=unknown detail="missing or empty field 'user': the Agent Push URL must contain user=--A--user--B--" reason=missing_user"#,
            #"level=warn msg="event rejected; more of this reason within a minute are only counted, in a summary" client=unknown detail="missing or empty field 'user': the Agent Push URL must contain user=--A--user--B--" reason=missing_user"#,
        ])
    }

    /// A misspelled Agent Push URL at the default level: the first rejection at once, then one
    /// summary a minute (due at the next rejection or scrape), never a line per push.
    @Test func rejectedPushesReachTheDefaultLogRateLimited() {
        let sink = LineSink()
        let logger = Logger(label: "test") { _ in StructuredLogHandler(label: "test", format: .logfmt, level: .info, write: sink.write) }
        let clock = ManualClock(1_764_000_000)
        let exporter = Exporter(configuration: ExporterConfiguration(), clock: clock, logger: logger, readProcessStats: { nil })
        let misspelled = "user=--A--user--B--&event=state_ready&counter=3"
        for second in 0..<40 {
            clock.set(1_764_000_000 + Double(second))
            let answer = exporter.handle(HTTPRequest(method: "GET", path: "/event", query: misspelled, remoteAddress: "10.1.2.3"))
            #expect(answer.status == 400)
        }
        clock.set(1_764_000_050)
        _ = exporter.handle(HTTPRequest(method: "GET", path: "/event", query: "user=6666", remoteAddress: "10.1.2.4"))
        clock.set(1_764_000_059)
        _ = exporter.handle(HTTPRequest(method: "GET", path: "/metrics"))
        let beforeTheMinute = sink.linesWithoutTimestamp()
        clock.set(1_764_000_061)
        _ = exporter.handle(HTTPRequest(method: "GET", path: "/metrics"))
        #expect(beforeTheMinute == [
            #"level=warn msg="event rejected; more of this reason within a minute are only counted, in a summary" client=10.1.2.3 detail="field 'user' holds the literal placeholder --A--user--B--: VICIdial did not substitute it; check the Agent Push URL in System Settings (placeholders are --A--name--B--)" reason=unreplaced_placeholder"#,
            #"level=warn msg="event rejected; more of this reason within a minute are only counted, in a summary" client=10.1.2.4 detail="missing or empty field 'event': the Agent Push URL must contain event=--A--event--B--" reason=missing_event"#,
        ])
        #expect(sink.linesWithoutTimestamp().dropFirst(2) == [
            #"level=warn msg="events rejected, not logged one by one (counts by reason)" seconds=60 unreplaced_placeholder=39"#,
        ])
    }
}

/// Collects the lines a handler writes.
final class LineSink: Sendable {
    private let lines = Mutex<[String]>([])

    var write: @Sendable (String) -> Void {
        { line in self.lines.withLock { $0.append(line) } }
    }

    /// Each line without its `ts` field and trailing newline; a line whose timestamp is not
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` or that lacks the newline is kept whole, so it fails the comparison.
    func linesWithoutTimestamp() -> [String] {
        lines.withLock { $0 }.map { line in
            guard line.hasSuffix("\n") else { return line }
            let body = line.dropLast()
            for (prefix, separator) in [("ts=", " "), (#"{"ts":""#, #"","#)] where body.hasPrefix(prefix) {
                let timestamp = body.dropFirst(prefix.count).prefix(24)
                let rest = body.dropFirst(prefix.count + 24)
                if Self.isTimestamp(timestamp), rest.hasPrefix(separator) {
                    return String(rest.dropFirst(separator.count))
                }
            }
            return line
        }
    }

    private static func isTimestamp(_ text: Substring) -> Bool {
        let pattern = Array("dddd-dd-ddTdd:dd:dd.dddZ")
        let characters = Array(text)
        guard characters.count == pattern.count else { return false }
        return zip(characters, pattern).allSatisfy { character, expected in
            expected == "d" ? character.isASCII && character.isNumber : character == expected
        }
    }
}
