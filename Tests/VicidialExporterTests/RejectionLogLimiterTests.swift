import Testing

@testable import VicidialExporter

/// A misspelled Agent Push URL rejects every push: the log shows the first of each reason at
/// once and then one summary a minute, never a line per push.
@Suite struct RejectionLogLimiterTests {
    typealias Line = RejectionLogLimiter.Line

    static func first(_ reason: String, _ client: String = "10.1.2.3") -> Line {
        .first(reason: reason, detail: "detail of \(reason)", client: client)
    }

    static func reject(_ limiter: inout RejectionLogLimiter, _ reason: String, at time: Double, client: String = "10.1.2.3") -> [Line] {
        limiter.rejected(reason: reason, detail: "detail of \(reason)", client: client, at: time)
    }

    @Test func theFirstOfEachReasonAtOnceThenOneSummaryAMinute() {
        var limiter = RejectionLogLimiter()
        #expect(Self.reject(&limiter, "unreplaced_placeholder", at: 1_000) == [Self.first("unreplaced_placeholder")])
        // 120 more pushes over the next 59 s: nothing, whatever the reason's first was.
        for step in 1...118 { #expect(Self.reject(&limiter, "unreplaced_placeholder", at: 1_000 + Double(step) * 0.5) == []) }
        #expect(Self.reject(&limiter, "invalid_user", at: 1_030, client: "10.9.9.9") == [Self.first("invalid_user", "10.9.9.9")])
        #expect(Self.reject(&limiter, "invalid_user", at: 1_031) == [])
        #expect(limiter.due(at: 1_059.999) == [])
        // The summary comes 60 s after the first push it counts (1000.5), at the next rejection or scrape.
        #expect(limiter.due(at: 1_060.5) == [
            .summary(counts: [.init(reason: "invalid_user", count: 1), .init(reason: "unreplaced_placeholder", count: 118)], seconds: 60),
        ])
        #expect(limiter.due(at: 1_061) == [])
        // Still within a minute of the summary: counted again, summarised a minute later.
        #expect(Self.reject(&limiter, "unreplaced_placeholder", at: 1_070) == [])
        #expect(Self.reject(&limiter, "unreplaced_placeholder", at: 1_130) == [
            .summary(counts: [.init(reason: "unreplaced_placeholder", count: 1)], seconds: 60),
        ])
        #expect(limiter.due(at: 1_300) == [.summary(counts: [.init(reason: "unreplaced_placeholder", count: 1)], seconds: 170)])
    }

    @Test func aReasonQuietForAMinuteIsLoggedAtOnceAgain() {
        var limiter = RejectionLogLimiter()
        #expect(Self.reject(&limiter, "body_too_large", at: 0) == [Self.first("body_too_large")])
        #expect(Self.reject(&limiter, "body_too_large", at: 59.5) == [])
        #expect(limiter.due(at: 120) == [.summary(counts: [.init(reason: "body_too_large", count: 1)], seconds: 60.5)])
        #expect(Self.reject(&limiter, "body_too_large", at: 181) == [Self.first("body_too_large")])
        #expect(limiter.due(at: 10_000) == [])
    }
}
