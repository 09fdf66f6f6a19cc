#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A socket-level failure in the test client, with the errno that caused it.
public struct ClientError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    public var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}

/// A response as read off the wire.
public struct RawResponse {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.1 client on one TCP connection that sends exact bytes.
/// Every receive gives up after `receiveTimeoutSeconds`, so a server that never
/// answers fails the test instead of hanging it.
public final class RawHTTPClient {
    static let receiveTimeoutSeconds = 10

    private let socketFD: Int32
    private var pending: [UInt8] = []

    /// Connects to `host`:`port`, from the local address `source` when given (e.g. "127.0.0.2",
    /// to be another client address on loopback), with a receive buffer of
    /// `receiveBufferBytes` when given (a small one makes a slow reader).
    public init(host: String = "127.0.0.1", port: UInt16, source: String? = nil, receiveBufferBytes: Int32? = nil) throws {
        let family = host.contains(":") ? AF_INET6 : AF_INET
        let connection = socket(family, streamSocketType, 0)
        guard connection >= 0 else { throw ClientError(operation: "socket", code: errno) }
        if var size = receiveBufferBytes {
            setsockopt(connection, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let source, withSocketAddress(host: source, port: 0, { bind(connection, $0, $1) }) != 0 {
            let code = errno
            close(connection)
            throw ClientError(operation: "bind \(source)", code: code)
        }
        var timeout = timeval(tv_sec: RawHTTPClient.receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard withSocketAddress(host: host, port: port, { connect(connection, $0, $1) }) == 0 else {
            let code = errno
            close(connection)
            throw ClientError(operation: "connect", code: code)
        }
        // Assigned last: a throwing init that had set it would also run deinit and close twice.
        socketFD = connection
    }

    deinit {
        close(socketFD)
    }

    /// Closes the sending side only (a half-close): the answer can still be read.
    public func finishSending() {
        shutdown(socketFD, Int32(SHUT_WR))
    }

    /// Closes the connection at once, as a client that gives up would.
    public func closeNow() {
        shutdown(socketFD, Int32(SHUT_RDWR))
    }

    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { sendWithoutSignal(socketFD, $0) }
            guard sent > 0 else { throw ClientError(operation: "send", code: errno) }
            offset += sent
        }
    }

    /// Reads one response. `hasBody: false` is for answers to HEAD.
    public func readResponse(hasBody: Bool = true) throws -> RawResponse {
        let head = try readHead()
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ClientError(operation: "parse status line \"\(lines[0])\"", code: EPROTO)
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            var value = line[line.index(after: colon)...]
            while value.first == " " { value.removeFirst() }
            while value.last == " " { value.removeLast() }
            return (String(line[..<colon]), String(value))
        }
        let response = RawResponse(status: status, headers: headers, body: [])
        guard hasBody, status >= 200, status != 204, status != 304 else { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            return RawResponse(status: status, headers: headers, body: try readChunkedBody())
        }
        guard let length = response.header("Content-Length").flatMap({ Int($0) }) else {
            return RawResponse(status: status, headers: headers, body: try readUntilClosed())
        }
        return RawResponse(status: status, headers: headers, body: try read(count: length))
    }

    /// Reads until the server closes the connection and returns what came before.
    public func readUntilClosed() throws -> [UInt8] {
        while try receiveMore() {}
        defer { pending = [] }
        return pending
    }

    private func readHead() throws -> String {
        try read(upTo: "\r\n\r\n", what: "response head")
    }

    /// A `Transfer-Encoding: chunked` body: hex size lines, data, and a last chunk of size 0.
    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            let hex = String(sizeLine.split(separator: ";").first ?? "").filter { $0 != " " }
            guard let size = Int(hex, radix: 16) else {
                throw ClientError(operation: "parse chunk size \"\(sizeLine)\"", code: EPROTO)
            }
            if size == 0 {
                while try !readLine().isEmpty {}  // trailers end with an empty line
                return body
            }
            body += try read(count: size)
            _ = try readLine()
        }
    }

    private func readLine() throws -> String {
        try read(upTo: "\r\n", what: "line")
    }

    /// Consumes the text before `terminator` (and the terminator), receiving more as needed.
    private func read(upTo terminator: String, what: String) throws -> String {
        let terminator = Array(terminator.utf8)
        while true {
            if let end = pending.firstRange(of: terminator) {
                let text = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                pending.removeSubrange(..<end.upperBound)
                return text
            }
            guard try receiveMore() else { throw ClientError(operation: "read \(what)", code: ECONNRESET) }
        }
    }

    private func read(count: Int) throws -> [UInt8] {
        while pending.count < count {
            guard try receiveMore() else { throw ClientError(operation: "read response body", code: ECONNRESET) }
        }
        defer { pending.removeFirst(count) }
        return Array(pending.prefix(count))
    }

    /// Appends received bytes to `pending`; false once the peer has closed.
    private func receiveMore() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let received = chunk.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
        guard received >= 0 else { throw ClientError(operation: "recv", code: errno) }
        pending += chunk.prefix(received)
        return received > 0
    }
}

/// Whether an IPv6 socket can be bound to ::1 on this machine.
public func ipv6LoopbackAvailable() -> Bool {
    let probe = socket(AF_INET6, streamSocketType, 0)
    guard probe >= 0 else { return false }
    defer { close(probe) }
    return withSocketAddress(host: "::1", port: 0) { bind(probe, $0, $1) } == 0
}

#if canImport(Glibc)
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let streamSocketType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// send(2) that reports a closed peer as EPIPE instead of raising SIGPIPE.
private func sendWithoutSignal(_ socketFD: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    send(socketFD, bytes.baseAddress, bytes.count, sendFlags)
}

private func withSocketAddress<R>(host: String, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    if host.contains(":") {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        inet_pton(AF_INET6, host, &address.sin6_addr)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    inet_pton(AF_INET, host, &address.sin_addr)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}
