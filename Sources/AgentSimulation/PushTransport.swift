/// The ways a push reaches the exporter, each producing the exact request a VICIdial set-up sends.
public enum PushTransport: String, CaseIterable, Sendable {
    /// The agent screen's XHR through a same-origin reverse proxy: a form POST whose values are not
    /// percent-encoded; whitespace becomes `+` and the characters `` ` : ; # " { } ^ $ `` are deleted.
    case agentScreen = "agent-screen"
    /// VICIdial's extras/get2post.php relay: the agent screen's form, decoded by PHP (so `+` is a space
    /// again) and re-joined raw without `'"\`, in the URL's field order, cut at the first `?`
    /// (a `?` in a message drops the fields after it).
    case get2post
    /// A GET with the fields percent-encoded in the query.
    case get
    /// A JSON object (counter, epoch and agent_log_id as numbers).
    case json

    /// The request for `push`, sent to `path` on `host` (the Host header's value).
    public func request(_ push: SimulatedPush, host: String, path: String) -> String {
        switch self {
        case .agentScreen:
            let message = Self.agentScreenValue(push.message)
            return Self.post(
                Self.formBody(push, message: message), host: host, path: path,
                contentType: "application/x-www-form-urlencoded; charset=UTF-8", userAgent: "Mozilla/5.0")
        case .get2post:
            let message = Self.agentScreenValue(push.message).map { $0 == "+" ? " " : $0 }.filter { !"'\"\\".contains($0) }
            var body = "user=\(push.user)&lead_id=\(push.leadID)&event=\(push.event.rawValue)&message=\(String(message))"
                + "&counter=\(push.counter)&epoch=\(push.epoch)&agent_log_id=\(push.agentLogID)"
            if let question = body.firstIndex(of: "?") { body = String(body[..<question]) }
            return Self.post(body, host: host, path: path, contentType: "application/x-www-form-urlencoded", userAgent: "VICIdial get2post")
        case .get:
            let query = "user=\(Self.percentEncoded(push.user))&event=\(push.event.rawValue)&message=\(Self.percentEncoded(push.message))"
                + "&lead_id=\(push.leadID)&counter=\(push.counter)&epoch=\(push.epoch)&agent_log_id=\(push.agentLogID)"
            return "GET \(path)?\(query) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: vicidial-agent-sim\r\n\r\n"
        case .json:
            let body = "{\"user\":\(Self.jsonString(push.user)),\"event\":\"\(push.event.rawValue)\","
                + "\"message\":\(Self.jsonString(push.message)),\"lead_id\":\(Self.jsonString(push.leadID)),"
                + "\"counter\":\(push.counter),\"epoch\":\(push.epoch),\"agent_log_id\":\(push.agentLogID)}"
            return Self.post(body, host: host, path: path, contentType: "application/json", userAgent: "vicidial-agent-sim")
        }
    }

    /// The field order of the Agent Push URL in README.md.
    private static func formBody(_ push: SimulatedPush, message: String) -> String {
        "user=\(push.user)&event=\(push.event.rawValue)&message=\(message)&lead_id=\(push.leadID)"
            + "&counter=\(push.counter)&epoch=\(push.epoch)&agent_log_id=\(push.agentLogID)"
    }

    /// What the agent screen's JavaScript makes of a value before it sends it.
    private static func agentScreenValue(_ value: String) -> String {
        String(value.filter { !"`:;#\"{}^$".contains($0) }.map { $0.isWhitespace ? "+" : $0 })
    }

    private static func post(_ body: String, host: String, path: String, contentType: String, userAgent: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: \(userAgent)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// RFC 3986: everything but unreserved characters as %XX of its UTF-8 bytes.
    private static func percentEncoded(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + hexDigit(byte >> 4) + hexDigit(byte & 0xF)
            }
        }
        return encoded
    }

    private static func hexDigit(_ nibble: UInt8) -> String {
        String(Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10))
    }

    private static func jsonString(_ value: String) -> String {
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20:
                let code = UInt8(scalar.value)
                quoted += "\\u00" + hexDigit(code >> 4) + hexDigit(code & 0xF)
            default:
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
