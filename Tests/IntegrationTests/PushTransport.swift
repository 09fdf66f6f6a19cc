import Foundation

/// One agent event push as VICIdial would send it.
struct Push {
    var user: String
    var event: String
    var message = ""
    var counter: Int?
    var epoch: Int64?
}

/// The ways a push reaches the exporter, each producing the exact request bytes.
enum PushTransport: String, CaseIterable, CustomStringConvertible {
    /// The agent screen's XHR through a same-origin reverse proxy: form POST, values not
    /// percent-encoded, spaces as `+`, the characters `` ` : ; # " { } ^ $ `` deleted.
    case agentScreen
    /// extras/get2post.php: PHP-decoded values re-joined raw (spaces stay spaces), `'"\` removed,
    /// and the body cut at the first `?` of a message, dropping the fields after it.
    case get2post
    /// A GET query string, percent-encoded.
    case get
    /// A JSON object.
    case json

    var description: String { rawValue }

    func request(_ push: Push) -> String {
        switch self {
        case .agentScreen:
            let deleted = Set("`:;#\"{}^$")
            let message = String(push.message.filter { !deleted.contains($0) }).replacingOccurrences(of: " ", with: "+")
            return post(formBody(push, message: message), contentType: "application/x-www-form-urlencoded; charset=UTF-8", agent: "Mozilla/5.0")
        case .get2post:
            let message = push.message.filter { !"'\"\\".contains($0) }
            var body = "user=\(push.user)&lead_id=&event=\(push.event)&message=\(message)"
                + "&counter=\(push.counter.map(String.init) ?? "")&epoch=\(push.epoch.map(String.init) ?? "")&agent_log_id=881"
            if let question = body.firstIndex(of: "?") { body = String(body[..<question]) }
            return post(body, contentType: "application/x-www-form-urlencoded", agent: "VICIdial get2post")
        case .get:
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let message = push.message.addingPercentEncoding(withAllowedCharacters: allowed)!
            return "GET /event?\(formBody(push, message: message)) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        case .json:
            func quoted(_ text: String) -> String {
                "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }
            var fields = ["\"user\":\(quoted(push.user))", "\"event\":\(quoted(push.event))", "\"message\":\(quoted(push.message))", "\"lead_id\":\"\""]
            if let counter = push.counter { fields.append("\"counter\":\(counter)") }
            if let epoch = push.epoch { fields.append("\"epoch\":\(epoch)") }
            return post("{" + fields.joined(separator: ",") + "}", contentType: "application/json", agent: "test")
        }
    }

    private func formBody(_ push: Push, message: String) -> String {
        "user=\(push.user)&event=\(push.event)&message=\(message)&lead_id="
            + "&counter=\(push.counter.map(String.init) ?? "")&epoch=\(push.epoch.map(String.init) ?? "")&agent_log_id=881"
    }

    private func post(_ body: String, contentType: String, agent: String) -> String {
        "POST /event HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: \(agent)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }
}
