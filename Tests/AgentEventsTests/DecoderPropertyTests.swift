import AgentEvents
import Testing

/// Seeded random inputs: garbage never crashes the decoder or leaks into a message, and any
/// event the agent screen could send comes back field for field.
struct DecoderPropertyTests {
    static let seeds: [UInt64] = [1, 42, 0xDEAD_BEEF]

    /// Value fragments that steer random input towards valid events and the decoder's edge cases.
    static let fragments: [[UInt8]] = [
        "6666", "state_ready", "agent_alert", "Logged_In", "&", "=", "%", "%4", "%41", "%0A", "%00", "%C3", "%FF",
        "+", "--A--", "--B--", "1764140000", "-1", ".5", " ", "\n", "\u{2028}", "é", "{", "\"",
    ].map { Array($0.utf8) }

    static let fieldNames = ["user", "event", "message", "lead_id", "counter", "epoch", "agent_log_id", "us%65r", "x"]

    static let jsonValues = [
        #""6666""#, #""state_ready""#, #""a\nb""#, #""--A--user--B--""#, #""\u0000""#, "57", "-3", "1.5", "1e300",
        "null", "true", "[1]", "{}",
    ]

    static let contentTypes: [String?] = [
        nil, "application/x-www-form-urlencoded; charset=UTF-8", "application/json", "text/plain",
        "multipart/form-data; boundary=x", "", "application/JSON\r\n",
    ]

    /// Half the time a plausible value, else fragments and random bytes.
    static func randomValue(using generator: inout SplitMix64) -> [UInt8] {
        if Bool.random(using: &generator) {
            return fragments[..<3].randomElement(using: &generator)!
        }
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            if Int.random(in: 0..<3, using: &generator) > 0 {
                bytes += fragments.randomElement(using: &generator)!
            } else {
                bytes.append(UInt8.random(in: 0...255, using: &generator))
            }
        }
        return bytes
    }

    /// Mostly `name=value` pieces, some of them without a name.
    static func randomForm(using generator: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        for index in 0..<Int.random(in: 0...9, using: &generator) {
            if index > 0 { bytes += Array("&".utf8) }
            if Int.random(in: 0..<5, using: &generator) > 0 {
                bytes += Array((fieldNames.randomElement(using: &generator)! + "=").utf8)
            }
            bytes += randomValue(using: &generator)
        }
        return bytes
    }

    /// An object of known and unknown members, sometimes cut short or with a byte flipped.
    static func randomJSON(using generator: inout SplitMix64) -> [UInt8] {
        let members = (0..<Int.random(in: 0...8, using: &generator)).map { _ in
            #"""# + fieldNames.randomElement(using: &generator)! + #"":"# + jsonValues.randomElement(using: &generator)!
        }
        var bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: bytes.removeLast(Int.random(in: 0...bytes.count, using: &generator))
        case 1: bytes[Int.random(in: bytes.indices, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        default: break
        }
        return bytes
    }

    @Test(arguments: seeds)
    func randomInputNeverEscapesTheContract(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let decoder = EventDecoder()
        for _ in 0..<5000 {
            let contentType = Self.contentTypes.randomElement(using: &generator)!
            let body =
                contentType == "application/json" && Bool.random(using: &generator)
                ? Self.randomJSON(using: &generator) : Self.randomForm(using: &generator)
            let query =
                Int.random(in: 0..<4, using: &generator) > 0
                ? String(decoding: Self.randomForm(using: &generator), as: UTF8.self) : nil
            let result =
                Bool.random(using: &generator)
                ? decoder.decode(query: query)
                : decoder.decode(body: body, contentType: contentType, query: query)
            switch result {
            case .success(let event):
                let userScalars = event.user.unicodeScalars
                #expect((1...20).contains(userScalars.count))
                #expect(!userScalars.contains { $0.properties.generalCategory == .control })
                #expect(event.event.rawValue.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || $0.isWholeNumber })
                #expect(event.message.unicodeScalars.count <= 1024 && event.message.isOneLine)
                #expect((0...2_147_483_647).contains(event.counter ?? 0))
                #expect((1...4_294_967_295).contains(event.epoch ?? 1))
            case .failure(let rejection):
                #expect(rejection.message.isOneLine && rejection.message.count <= 300, "\(rejection)")
                #expect([400, 415].contains(rejection.status))
            }
        }
    }

    /// The agent screen deletes these characters from values, and turns white space into `+`.
    static let deletedCharacters = Array("`:;#\"{}^$")

    /// Message characters the agent screen can send; `&`, `=`, `%` and `+` are left out since
    /// the screen sends them unencoded and they then mean form syntax, not text.
    static let messageCharacters = Array("abcXYZ0189 \t\n-.,!?/()@*'_~éß中😀") + deletedCharacters

    static func screenEncoded(_ value: String) -> String {
        String(value.compactMap { deletedCharacters.contains($0) ? nil : ($0.isWhitespace ? "+" : $0) })
    }

    static func randomString(from alphabet: [Character], count: ClosedRange<Int>, using generator: inout SplitMix64)
        -> String
    {
        String((0..<Int.random(in: count, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    @Test(arguments: seeds)
    func screenEncodedEventsRoundTrip(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let userCharacters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-ü")
        let eventCharacters = Array("abcdefghijklmnopqrstuvwxyz0123456789_")
        let digits = Array("0123456789")
        for _ in 0..<1000 {
            let user = Self.randomString(from: userCharacters, count: 1...20, using: &generator)
            let event =
                Bool.random(using: &generator)
                ? KnownEvent.allCases.randomElement(using: &generator)!.rawValue
                : Self.randomString(from: eventCharacters, count: 1...64, using: &generator)
            let message = Self.randomString(from: Self.messageCharacters, count: 0...200, using: &generator)
            let leadID = Self.randomString(from: digits, count: 0...9, using: &generator)
            let counter = Int.random(in: 0...100_000, using: &generator)
            let epoch = Int64.random(in: 1_600_000_000...2_000_000_000, using: &generator)
            let agentLogID = Self.randomString(from: digits, count: 0...9, using: &generator)

            let body = [
                ("user", user), ("event", event), ("message", message), ("lead_id", leadID),
                ("counter", String(counter)), ("epoch", String(epoch)), ("agent_log_id", agentLogID),
            ].map { "\($0)=\(Self.screenEncoded($1))" }.joined(separator: "&")
            let expected = AgentEvent(
                user: user, event: EventName(event),
                message: Self.screenEncoded(message).replacing("+", with: " "),
                leadID: UInt32(leadID), counter: counter, epoch: epoch, agentLogID: UInt32(agentLogID))

            #expect(try Request.screen(body).decode().get() == expected, "\(body)")
        }
    }
}
