import Testing
import VicidialExporter

/// A user is free text up to 20 characters; its label value comes out escaped, byte for byte otherwise.
struct LabelEscapingTests {
    /// 20 Unicode scalars: a quote, a backslash, Latin-1, CJK and an emoji.
    static let user = #"ag"ent\01 Zo"# + "\u{EB} \u{65E5}\u{672C}\u{8A9E}\u{1F600}!x"
    static let escaped = #"ag\"ent\\01 Zo"# + "\u{EB} \u{65E5}\u{672C}\u{8A9E}\u{1F600}!x"

    @Test func userIsTwentyScalars() {
        #expect(Self.user.unicodeScalars.count == 20)
    }

    enum Sender: String, CaseIterable, Sendable {
        case json, rawQuery, percentEncodedForm
    }

    @Test(arguments: Sender.allCases, [nil, "application/openmetrics-text"])
    func hostileUser(sender: Sender, accept: String?) {
        let harness = ExporterHarness()
        let response =
            switch sender {
            case .json:
                harness.post(
                    #"{"user":"ag\"ent\\01 Zo\u00eb \u65e5\u672c\u8a9e\ud83d\ude00!x","event":"logged_out","message":"NOR\"MAL\\"}"#,
                    contentType: "application/json")
            case .rawQuery:
                harness.get("/event", query: "user=\(Self.user)&event=logged_out&message=NOR\"MAL\\")
            case .percentEncodedForm:
                harness.post(
                    "user=ag%22ent%5C01+Zo%C3%AB+%E6%97%A5%E6%9C%AC%E8%AA%9E%F0%9F%98%80%21x&event=logged_out"
                        + "&message=NOR%22MAL%5C")
            }
        #expect(response.text == "accepted\n")
        let lines = harness.scrape(accept: accept).text.split(separator: "\n").map(String.init)
        #expect(lines.contains(#"vicidial_agent_calls_total{user="\#(Self.escaped)"} 0"#))
        #expect(lines.contains(#"vicidial_agent_logouts_total{user="\#(Self.escaped)",reason="other"} 1"#))
        #expect(lines.contains(#"vicidial_agent_events_total{user="\#(Self.escaped)",event="logged_out"} 1"#))
        // An independent reading of the line gives the user back unchanged.
        let calls = lines.first { $0.hasPrefix("vicidial_agent_calls_total{") }.flatMap(SampleLine.init)
        #expect(calls?.labels.first?.value == Self.user)
    }

    /// The reasons and statuses that come from free text are bounded to safe label values.
    @Test func freeTextLabelsAreBounded() {
        let harness = ExporterHarness()
        harness.push("dispo_set", "SA%22LE", counter: 0, at: 0)
        harness.push("dispo_set", "A1-b_2", counter: 1, at: 1)
        harness.push("dispo_set", "", counter: 2, at: 2)
        harness.push("logged_out", "normal", counter: 3, at: 3)
        harness.push("logged_out", "GONE", counter: 4, at: 4)
        let samples = harness.samples()
        #expect(samples.series("vicidial_agent_dispositions_total") == [
            #"vicidial_agent_dispositions_total{user="6666",status="A1-b_2"} 1"#,
            #"vicidial_agent_dispositions_total{user="6666",status="other"} 2"#,
        ])
        #expect(samples.series("vicidial_agent_logouts_total") == [
            #"vicidial_agent_logouts_total{user="6666",reason="NORMAL"} 1"#,
            #"vicidial_agent_logouts_total{user="6666",reason="other"} 1"#,
        ])
    }
}
