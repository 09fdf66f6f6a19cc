import AgentEvents

/// libFuzzer target: any bytes as a push, through every way the decoder reads one. The first
/// byte picks the transport and whether a token is required; the decoder must answer with an
/// event or a rejection, never trap, and a rejection's message must stay one bounded line.
private let plain = EventDecoder()
private let guarded = EventDecoder(token: try! IngestToken(fileText: "fuzz-token-0123456789"))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let decoder = selector & 0x80 == 0 ? plain : guarded
    let text = String(decoding: rest, as: UTF8.self)
    let result: Result<AgentEvent, EventRejection>
    switch selector & 0x3 {
    case 0: result = decoder.decode(query: text, authorization: selector & 0x40 == 0 ? nil : "Bearer fuzz-token-0123456789")
    case 1: result = decoder.decode(body: rest, contentType: "application/x-www-form-urlencoded; charset=UTF-8", query: nil)
    case 2: result = decoder.decode(body: rest, contentType: "application/json", query: "token=fuzz-token-0123456789")
    default:
        // Body and query split at the first zero byte.
        let split = rest.firstIndex(of: 0) ?? rest.count
        result = decoder.decode(
            body: Array(rest[..<split]), contentType: nil,
            query: String(decoding: rest[min(split + 1, rest.count)...], as: UTF8.self))
    }
    if case .failure(let rejection) = result {
        let message = rejection.message
        precondition(!message.contains("\n"), "a rejection message spans lines: \(message)")
        precondition(message.unicodeScalars.count < 1_024, "a rejection message is unbounded")
        // The token field itself is never echoed: only a sender who put the token into another
        // field may see it again.
        let otherFields = text.replacingTokenFields()
        precondition(
            !message.contains("fuzz-token-0123456789") || otherFields.contains("fuzz-token-0123456789"),
            "a rejection message echoes the token")
    }
    return 0
}

extension String {
    /// The text with every `token=...` form field and `"token":"..."` JSON member cut out.
    fileprivate func replacingTokenFields() -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: "token") {
            result += rest[..<range.lowerBound]
            var after = rest[range.upperBound...]
            // Skip the value: up to the next field separator.
            if let end = after.firstIndex(where: { $0 == "&" || $0 == "," || $0 == "}" }) {
                after = after[end...]
            } else {
                after = ""
            }
            rest = after
        }
        return result + rest
    }
}
