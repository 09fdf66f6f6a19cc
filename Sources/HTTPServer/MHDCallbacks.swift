import CMicroHTTPD

// The C-convention callbacks handed to libmicrohttpd. They run on MHD's threads
// and only translate pointers before calling into Swift types.

/// MHD_OPTION_URI_LOG_CALLBACK: called once per request with the raw, undecoded
/// request-target, before the access handler. The returned pointer becomes the
/// request's `*req_cls`; `requestCompleted` releases it.
func requestStarted(
    _ cls: UnsafeMutableRawPointer?,
    _ uri: UnsafePointer<CChar>,
    _ connection: OpaquePointer
) -> UnsafeMutableRawPointer? {
    Unmanaged.passRetained(RequestContext(target: String(cString: uri))).toOpaque()
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

/// MHD_OPTION_NOTIFY_COMPLETED: the request is over (answered or aborted).
func requestCompleted(
    _ cls: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ requestCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ reason: MHD_RequestTerminationCode
) {
    guard let requestCls, let context = requestCls.pointee else { return }
    Unmanaged<RequestContext>.fromOpaque(context).release()
    requestCls.pointee = nil
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
