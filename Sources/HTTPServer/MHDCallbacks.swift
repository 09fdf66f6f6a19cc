import CMicroHTTPD
import CMicroHTTPDShim

// The C-convention callbacks handed to libmicrohttpd. They run on MHD's threads
// and only translate pointers before calling into Swift types.

/// MHD_OPTION_URI_LOG_CALLBACK: called once per request with the raw, undecoded
/// request-target, before the access handler; `cls` is the `RequestDispatcher`. The returned
/// pointer becomes the request's `*req_cls`; `requestCompleted` releases it.
func requestStarted(
    _ cls: UnsafeMutableRawPointer?,
    _ uri: UnsafePointer<CChar>,
    _ connection: OpaquePointer
) -> UnsafeMutableRawPointer? {
    if let cls {
        Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue().connections.requestBegan(connectionKey(connection))
    }
    return Unmanaged.passRetained(RequestContext(target: String(cString: uri))).toOpaque()
}

/// MHD_AccessHandlerCallback; `cls` is the server's `RequestDispatcher`.
func accessHandler(
    _ cls: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ url: UnsafePointer<CChar>?,
    _ method: UnsafePointer<CChar>?,
    _ version: UnsafePointer<CChar>?,
    _ uploadData: UnsafePointer<CChar>?,
    _ uploadDataSize: UnsafeMutablePointer<Int>?,
    _ requestCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let method, let uploadDataSize,
          let context = requestCls?.pointee else { return .NO }
    let dispatcher = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue()
    return dispatcher.handle(
        connection: connection,
        method: String(cString: method),
        upload: UnsafeRawBufferPointer(start: uploadData, count: uploadDataSize.pointee),
        uploadSize: uploadDataSize,
        request: Unmanaged<RequestContext>.fromOpaque(context).takeUnretainedValue()
    )
}

/// MHD_OPTION_NOTIFY_COMPLETED: the request is over (answered or aborted); `cls` is the
/// server's `RequestDispatcher`.
func requestCompleted(
    _ cls: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ requestCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ reason: MHD_RequestTerminationCode
) {
    if let cls, let connection {
        Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue().connections.answerSent(connectionKey(connection))
    }
    guard let requestCls, let context = requestCls.pointee else { return }
    Unmanaged<RequestContext>.fromOpaque(context).release()
    requestCls.pointee = nil
}

/// MHD_OPTION_NOTIFY_CONNECTION: a connection opened or closed; `cls` is the `RequestDispatcher`.
/// MHD reports the close before it closes the socket (see `ConnectionGuard`).
func connectionChanged(
    _ cls: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ change: MHD_ConnectionNotificationCode
) {
    guard let cls, let connection else { return }
    let connections = Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue().connections
    if change == .CONNECTION_NOTIFY_STARTED {
        let address = mhd_shim_client_address(connection).flatMap(formatIPAddress) ?? "unknown"
        connections.opened(connectionKey(connection), socket: mhd_shim_connection_socket(connection), address: address)
    } else {
        connections.closed(connectionKey(connection))
    }
}

/// libmicrohttpd answered a request by itself; `cls` is the `RequestDispatcher`.
func serverAnswered(_ cls: UnsafeMutableRawPointer?, _ status: UInt32) {
    guard let cls else { return }
    Unmanaged<RequestDispatcher>.fromOpaque(cls).takeUnretainedValue().statistics.serverAnswered(status: Int(status))
}

/// Identifies a connection in `ConnectionGuard` for as long as MHD keeps it.
func connectionKey(_ connection: OpaquePointer) -> UInt {
    UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection)))
}

/// MHD_KeyValueIterator appending each header to the `[(String, String)]` at `cls`.
func collectHeader(
    _ cls: UnsafeMutableRawPointer?,
    _ kind: MHD_ValueKind,
    _ key: UnsafePointer<CChar>?,
    _ value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let cls, let key else { return .YES }
    cls.assumingMemoryBound(to: [(String, String)].self).pointee
        .append((String(cString: key), value.map { String(cString: $0) } ?? ""))
    return .YES
}
