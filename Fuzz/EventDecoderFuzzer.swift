import AgentEvents

/// libFuzzer target: any bytes as a push, through every way the decoder reads one. The first
/// byte picks the transport and whether a token is required; the decoder must answer with an
/// event or a rejection, never trap, and a rejection's message must stay one bounded line.
private let plain = EventDecoder()
private let guarded = EventDecoder(token: IngestToken(fileText: "fuzz-token")!)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let decoder = selector & 0x80 == 0 ? plain : guarded
    let text = String(decoding: rest, as: UTF8.self)
    let result: Result<AgentEvent, EventRejection>
    switch selector & 0x3 {
    case 0: result = decoder.decode(query: text, authorization: selector & 0x40 == 0 ? nil : "Bearer fuzz-token")
    case 1: result = decoder.decode(body: rest, contentType: "application/x-www-form-urlencoded; charset=UTF-8", query: nil)
    case 2: result = decoder.decode(body: rest, contentType: "application/json", query: "token=fuzz-token")
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
        // Only a sender who put the token into a field itself may see it echoed back.
        precondition(!message.contains("fuzz-token") || text.contains("fuzz-token"), "a rejection message echoes the token")
    }
    return 0
}
