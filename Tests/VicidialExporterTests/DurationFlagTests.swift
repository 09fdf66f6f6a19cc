import Testing
import PrometheusDuration

/// Prometheus-style durations for the `--agent.*` and `--web.connection-timeout` flags.
struct DurationFlagTests {
    @Test(arguments: [
        ("1s", 1.0), ("500ms", 0.5), ("1ms", 0.001), ("90s", 90), ("1m", 60), ("1h30m", 5400), ("1m30s", 90),
        ("12h", 43_200), ("7d", 604_800), ("168h", 604_800), ("2w", 1_209_600), ("1y", 31_536_000),
        ("1d2h3m4s5ms", 93_784.005), ("0", 0), ("0s", 0), ("00s", 0),
        // Prometheus' limit: as many nanoseconds as an Int64 holds.
        ("292y", 9_208_512_000), ("9223372036s", 9_223_372_036),
    ] as [(String, Double)])
    func valid(text: String, seconds: Double) {
        #expect(DurationFlag.seconds(text) == seconds)
    }

    @Test(arguments: [
        "", "1", "1.5s", "h", "10x", "-1s", "+1s", " 1s", "1s ", "1 s", "1S", "s1", "1sm", "00", "0x", "1h-30m", "1µs",
        // Units out of order or repeated, which Prometheus refuses too.
        "1s1h", "30m1h", "1h1h", "1ms1s",
        // Out of range: longer than Prometheus allows, or not even a finite number of seconds.
        "293y", "9223372037s", "99999999999999999999s", String(repeating: "9", count: 400) + "s",
    ])
    func invalid(text: String) {
        #expect(DurationFlag.seconds(text) == nil)
    }
}

/// Durations as `--help` shows the defaults: Prometheus' own way of writing them.
struct DurationTextTests {
    @Test(arguments: [
        (0, "0s"), (0.2, "200ms"), (1, "1s"), (90, "1m30s"), (3600, "1h"), (43_200, "12h"), (604_800, "1w"),
        (93_784.005, "1d2h3m4s5ms"), (31_536_000, "1y"), (0.0004, "0s"),
    ] as [(Double, String)])
    func text(seconds: Double, text: String) {
        #expect(DurationFlag.text(seconds) == text)
        #expect(DurationArgument(seconds: seconds).description == text)
    }

    @Test(arguments: ["1s", "200ms", "1m30s", "12h", "1w", "1d2h3m4s5ms"])
    func readsBackWhatItWrites(text: String) throws {
        let argument = try #require(DurationArgument(argument: text))
        #expect(argument.description == text)
        #expect(DurationArgument(argument: argument.description) == argument)
    }

    @Test func refusesWhatTheFlagRefuses() {
        #expect(DurationArgument(argument: "1.5s") == nil)
    }
}
