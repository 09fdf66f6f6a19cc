import HTTPServer
import Synchronization

/// Remembers every request a test server's handler saw.
final class RequestRecorder: Sendable {
    private let requests = Mutex<[HTTPRequest]>([])

    var all: [HTTPRequest] { requests.withLock { $0 } }

    func record(_ request: HTTPRequest) {
        requests.withLock { $0.append(request) }
    }
}

/// A server on 127.0.0.1 with a kernel-picked port whose handler records each
/// request and answers 413 "too large" for oversized bodies, otherwise 200 with
/// "<method> <path>" and the body's byte count.
func startRecordingServer(
    _ recorder: RequestRecorder,
    maxBodyBytes: Int = 65_536
) throws -> HTTPServer {
    let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes)
    return try HTTPServer(configuration: configuration) { request in
        recorder.record(request)
        if request.bodyTooLarge {
            return .text(413, "too large")
        }
        return .text(200, "\(request.method) \(request.path) \(request.body.count)")
    }
}
