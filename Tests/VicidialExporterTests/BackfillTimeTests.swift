import Testing

@testable import VicidialExporter

/// `--from` and `--to`: RFC 3339 or Unix seconds; anything else refused.
@Suite struct BackfillTimeTests {
    @Test(arguments: [
        ("1764921600", 1_764_921_600.0), ("1764921600.25", 1_764_921_600.25), ("0", 0),
        ("2025-12-05T08:00:00Z", 1_764_921_600), ("2025-12-05t08:00:00z", 1_764_921_600),
        ("2025-12-05T09:30:00+01:30", 1_764_921_600), ("2025-12-05T03:00:00-05:00", 1_764_921_600),
        ("2025-12-05T08:00:00.5Z", 1_764_921_600.5), ("1970-01-01T00:00:00Z", 0), ("2024-02-29T00:00:00Z", 1_709_164_800),
        ("2000-03-01T00:00:00Z", 951_868_800), ("2100-01-01T00:00:00Z", 4_102_444_800),
    ])
    func accepted(text: String, seconds: Double) {
        #expect(BackfillTime.seconds(text) == seconds)
    }

    @Test(arguments: [
        "", "yesterday", "1.2.3", "-5", "2025-12-05", "2025-12-05T08:00:00", "2025-12-05 08:00:00Z", "2025-13-05T08:00:00Z",
        "2025-02-29T08:00:00Z", "2025-12-05T24:00:00Z", "2025-12-05T08:60:00Z", "2025-12-05T08:00:00.Z",
        "2025-12-05T08:00:00+0100", "2025-12-05T08:00:00Zjunk",
    ])
    func refused(text: String) {
        #expect(BackfillTime.seconds(text) == nil)
    }

    @Test(arguments: [
        (1_764_921_600.0, "2025-12-05T08:00:00Z"), (1_764_921_600.25, "2025-12-05T08:00:00.250Z"), (0, "1970-01-01T00:00:00Z"),
        (1_709_164_799, "2024-02-28T23:59:59Z"), (951_868_800, "2000-03-01T00:00:00Z"),
    ])
    func written(seconds: Double, text: String) {
        #expect(BackfillTime.text(seconds) == text)
        #expect(BackfillTime.seconds(text) == seconds)
    }
}
