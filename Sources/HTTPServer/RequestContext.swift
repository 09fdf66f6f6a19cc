/// Per-request state, created by the URI-log callback and released when MHD
/// reports the request completed. MHD serves a connection on one thread at a
/// time, so this needs no locking and never leaves that thread.
final class RequestContext {
    enum Phase {
        /// The access handler has not run yet.
        case awaitingHeaders
        /// Headers are in; body chunks are being collected.
        case receivingBody
        /// The body outgrew the limit; the rest of it is read and thrown away.
        case discardingBody
    }

    let path: String
    let query: String?
    var phase = Phase.awaitingHeaders
    var body: [UInt8] = []
    /// Set while the request is answered on another thread (`OffloadedRequests`).
    var deferred: DeferredAnswer?

    /// `target` is the raw request-target as sent: path, then optionally '?' and query.
    init(target: String) {
        if let questionMark = target.firstIndex(of: "?") {
            path = String(target[..<questionMark])
            query = String(target[target.index(after: questionMark)...])
        } else {
            path = target
            query = nil
        }
    }
}
