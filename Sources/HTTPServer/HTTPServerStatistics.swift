import Synchronization

/// What the server did on its own, for the application's metrics: connections it closed or
/// refused, and the answers libmicrohttpd gave without calling the handler. Shared between the
/// server, which counts, and whoever renders the counts.
public final class HTTPServerStatistics: Sendable {
    public struct Counts: Sendable, Equatable {
        /// Connections open now (not counting those already shut down and closing).
        public var openConnections = 0
        /// Connections closed or refused by the server, by reason: `read_timeout`, `idle_timeout`, `peer_closed`,
        /// `displaced`, `limit`, `per_address_limit`.
        public var connectionsClosed: [String: UInt64] =
            Dictionary(uniqueKeysWithValues: ConnectionBook.Reason.allCases.map { ($0.rawValue, 0) })
        /// Answers libmicrohttpd sent by itself (malformed requests, oversized headers), by status.
        public var serverAnswers: [Int: UInt64] = [:]
        /// TLS clients answered 403 for their certificate (missing, unverified or with no allowed name).
        public var clientCertificatesRefused: UInt64 = 0
    }

    private let counts = Mutex(Counts())

    public init() {}

    public var current: Counts { counts.withLock { $0 } }

    func connectionsChanged(open: Int) {
        counts.withLock { $0.openConnections = open }
    }

    func connectionClosed(_ reason: ConnectionBook.Reason) {
        counts.withLock { $0.connectionsClosed[reason.rawValue, default: 0] += 1 }
    }

    func clientCertificateRefused() {
        counts.withLock { $0.clientCertificatesRefused += 1 }
    }

    func serverAnswered(status: Int) {
        counts.withLock { $0.serverAnswers[status, default: 0] += 1 }
    }
}
