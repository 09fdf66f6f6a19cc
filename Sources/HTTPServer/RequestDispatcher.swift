import CMicroHTTPD
import CMicroHTTPDShim

/// What MHD's callbacks reach through their `cls` pointer: the body limit, the user's handler,
/// the connection rules, the statistics, the client-certificate policy and the listener's
/// context. One per daemon (a replaced listener is a new daemon); the `HTTPServer` keeps it
/// alive until its daemon stops.
final class RequestDispatcher: Sendable {
    private let maxBodyBytes: Int
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let clientCertificates: ClientCertificateCheck?
    private let context: (any Sendable)?
    let offloaded: OffloadedRequests
    let connections: ConnectionGuard
    let statistics: HTTPServerStatistics

    init(
        maxBodyBytes: Int,
        connections: ConnectionGuard,
        statistics: HTTPServerStatistics,
        clientCertificates: ClientCertificateCheck?,
        context: (any Sendable)?,
        offloaded: OffloadedRequests,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) {
        self.offloaded = offloaded
        self.maxBodyBytes = maxBodyBytes
        self.connections = connections
        self.statistics = statistics
        self.clientCertificates = clientCertificates
        self.context = context
        self.handler = handler
    }

    /// One access-handler call. MHD calls it once when the headers are in, once
    /// per body chunk, then once more with no data. MHD 0.9.75 accepts a response
    /// only on the first or the last call, and one queued on the first call makes
    /// it close the connection afterwards, so normally only the last call answers.
    func handle(
        connection: OpaquePointer,
        method: String,
        upload: UnsafeRawBufferPointer,
        uploadSize: UnsafeMutablePointer<Int>,
        request: RequestContext
    ) -> MHD_Result {
        switch request.phase {
        case .awaitingHeaders:
            request.phase = .receivingBody
            connections.headersArrived(connectionKey(connection))
            if let refusal = clientCertificates?.refusal(for: connection) {
                statistics.clientCertificateRefused()
                // Answered on the first call, so MHD closes the connection after it.
                return queue(.text(403, "forbidden: \(refusal)\n", headers: [("Connection", "close")]), on: connection)
            }
            if let declared = declaredContentLength(connection), declared > maxBodyBytes {
                // Answer before reading any of the body; MHD then closes the connection.
                return respond(connection: connection, method: method, request: request, bodyTooLarge: true)
            }
            return .YES
        case .receivingBody, .discardingBody:
            guard upload.count > 0 else {
                return respond(
                    connection: connection, method: method, request: request,
                    bodyTooLarge: request.phase == .discardingBody)
            }
            uploadSize.pointee = 0
            if request.phase == .receivingBody && request.body.count + upload.count <= maxBodyBytes {
                request.body.append(contentsOf: upload)
            } else {
                // A chunked body outgrew the limit. MHD refuses a response in the
                // middle of a body, so drop the data and answer once it has ended.
                request.body = []
                request.phase = .discardingBody
            }
            return .YES
        }
    }

    private func respond(
        connection: OpaquePointer,
        method: String,
        request: RequestContext,
        bodyTooLarge: Bool
    ) -> MHD_Result {
        if let deferred = request.deferred {
            // Resumed after an offloaded handler: its answer is ready.
            let answer = deferred.take() ?? .text(500, "internal error: the answer was lost\n")
            let queued = queue(answer, on: connection)
            connections.answerQueued(connectionKey(connection))
            return queued
        }
        guard connections.requestArrived(connectionKey(connection), path: request.path) else {
            statistics.serverAnswered(status: 429)
            let refused = HTTPResponse.text(
                429, "too many answers to this address are still unread; read them before asking again\n",
                headers: [("Connection", "close")])
            // Not counted as an answer in flight: it is small, and must not displace a slow scrape.
            return queue(refused, on: connection)
        }
        let httpRequest = HTTPRequest(
            method: method,
            path: request.path,
            query: request.query,
            headers: requestHeaders(connection),
            body: request.body, // empty when too large
            remoteAddress: mhd_shim_client_address(connection).flatMap(formatIPAddress),
            bodyTooLarge: bodyTooLarge,
            listenerContext: context
        )
        if offloaded.covers(request.path) {
            let answer = DeferredAnswer()
            let handler = self.handler
            if offloaded.run(connection: connection, answer: answer, { handler(httpRequest) }) {
                request.deferred = answer
                return .YES
            }
        }
        let response = handler(httpRequest)
        let queued = queue(response, on: connection)
        connections.answerQueued(connectionKey(connection))
        return queued
    }

    private func declaredContentLength(_ connection: OpaquePointer) -> Int? {
        guard let value = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length") else {
            return nil
        }
        // MHD has already rejected malformed values; only overflow is left to map.
        return UInt64(String(cString: value)).map { Int(clamping: $0) }
    }
}

private func requestHeaders(_ connection: OpaquePointer) -> HTTPHeaders {
    var fields: [(String, String)] = []
    withUnsafeMutablePointer(to: &fields) {
        _ = MHD_get_connection_values(connection, .HEADER_KIND, collectHeader, $0)
    }
    return HTTPHeaders(fields)
}

private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
    let created: OpaquePointer?
    if let lent = response.lentBody {
        // MHD writes the body's parts straight from where they are (an I/O vector, no copy)
        // and calls `releaseLentBody` once done; the retain taken here keeps the body alive
        // (and unchanged) until then.
        var parts: [MHD_IoVec] = []
        lent.forEachRegion { parts.append(MHD_IoVec(iov_base: $0.baseAddress, iov_len: $0.count)) }
        let keeper = Unmanaged<AnyObject>.passRetained(lent).toOpaque()
        created = MHD_create_response_from_iovec(parts, UInt32(parts.count), releaseLentBody, keeper)
        if created == nil { Unmanaged<AnyObject>.fromOpaque(keeper).release() }
    } else {
        created = response.body.withUnsafeBytes {
            // MUST_COPY: MHD copies the bytes, so the pointer need not outlive this call.
            MHD_create_response_from_buffer($0.count, UnsafeMutableRawPointer(mutating: $0.baseAddress), .RESPMEM_MUST_COPY)
        }
    }
    guard let mhdResponse = created else { return .NO }
    defer { MHD_destroy_response(mhdResponse) }
    for header in response.headers {
        _ = MHD_add_response_header(mhdResponse, header.name, header.value)
    }
    return MHD_queue_response(connection, UInt32(clamping: response.status), mhdResponse)
}

/// MHD_ContentReaderFreeCallback for a lent body: drops the retain `queue` took.
private let releaseLentBody: MHD_ContentReaderFreeCallback = { keeper in
    guard let keeper else { return }
    Unmanaged<AnyObject>.fromOpaque(keeper).release()
}
