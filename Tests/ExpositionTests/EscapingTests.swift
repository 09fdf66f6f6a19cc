import Exposition
import Testing

@Suite struct EscapingTests {
    /// (label value, as written between the quotes); the same in both formats.
    static let labelValues: [(String, String)] = [
        ("plain", "plain"),
        ("", ""),
        ("back\\slash", "back\\\\slash"),
        ("say \"hi\"", "say \\\"hi\\\""),
        ("two\nlines", "two\\nlines"),
        ("literal \\n", "literal \\\\n"),
        ("ends with \\", "ends with \\\\"),
        ("\\\"\n", "\\\\\\\"\\n"),
        ("Zoë 日本語 🎧", "Zoë 日本語 🎧"),
        ("--A--", "--A--"),
        ("a}b=c,d{", "a}b=c,d{"),
        ("tab\tcr\r", "tab\tcr\r"),
    ]

    @Test(arguments: labelValues, [ExpositionFormat.prometheusText, .openMetrics])
    func labelValue(_ value: (String, String), format: ExpositionFormat) {
        let text = render(format) { writer in
            writer.family("vicidial_x", type: .gauge, help: "X.")
            writer.gauge(["agent": value.0], 1)
        }
        let sample = text.split(separator: "\n")[2]
        #expect(sample == "vicidial_x{agent=\"\(value.1)\"} 1")
    }

    /// (help, text format HELP, OpenMetrics HELP): only OpenMetrics escapes quotes there.
    static let helps: [(String, String, String)] = [
        ("Plain help.", "Plain help.", "Plain help."),
        ("Say \"hi\".", "Say \"hi\".", "Say \\\"hi\\\"."),
        ("back\\slash", "back\\\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines", "two\\nlines"),
        ("Zoë 🎧", "Zoë 🎧", "Zoë 🎧"),
    ]

    @Test(arguments: helps)
    func help(_ help: (String, String, String)) {
        let text = render(.prometheusText) { $0.family("vicidial_x", type: .gauge, help: help.0) }
        #expect(text.split(separator: "\n")[0] == "# HELP vicidial_x \(help.1)")
        let openMetrics = render(.openMetrics) { $0.family("vicidial_x", type: .gauge, help: help.0) }
        #expect(openMetrics.split(separator: "\n")[1] == "# HELP vicidial_x \(help.2)")
    }
}
