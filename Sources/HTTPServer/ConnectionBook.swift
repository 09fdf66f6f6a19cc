/// The connections the server holds, and the rules that keep any client from starving the others.
/// Pure bookkeeping: it decides which sockets to shut down, `ConnectionGuard` does it.
///
/// - A connection *waits* from when it opens, and again after each answer, until its next
///   request has arrived whole. A waiting connection is shut down when its wait reaches
///   `readTimeout` (however slowly its bytes trickle in), or when its peer has closed its side.
/// - Past `maxConnections` live connections, or `maxConnectionsPerAddress` from one address, a
///   new connection takes the place of the one that has waited longest (of that address when
///   the address is at its limit): an idle keep-alive or a slow client gives way to a fresh
///   one, such as a scrape, which sends its request at once. A connection whose request is being
///   answered is never displaced; when every candidate is busy, the new connection is refused.
struct ConnectionBook: Sendable {
    struct Limits: Sendable {
        var maxConnections: Int
        var maxConnectionsPerAddress: Int
        /// Seconds a request may take to arrive whole, counted from the connection's opening or
        /// from the previous answer.
        var readTimeout: Double
        /// A peer's close is acted on once it has been seen for this long, so that a request
        /// sent just before a half-close is still read and answered.
        var peerCloseGrace: Double = 0.2
    }

    /// Why a connection was shut down or refused; label values of the server's metrics.
    enum Reason: String, Sendable, CaseIterable {
        case readTimeout = "read_timeout"
        case peerClosed = "peer_closed"
        case displaced
        case limit
        case perAddressLimit = "per_address_limit"
    }

    struct Entry: Sendable {
        let socket: Int32
        let address: String
        /// Since when it waits for a request; nil while one is being answered.
        var waitingSince: Double?
        /// When its peer's close was first seen while waiting.
        var peerClosedSince: Double?
        /// Shut down (or refused) by us; it still holds a libmicrohttpd slot until MHD closes it.
        var shutDown = false
    }

    /// What to do with sockets: shut them down, each for its reason.
    typealias Shutdowns = [(socket: Int32, reason: Reason)]

    let limits: Limits
    private(set) var entries: [UInt: Entry] = [:]
    private(set) var live = 0
    private var liveByAddress: [String: Int] = [:]

    init(limits: Limits) {
        self.limits = limits
    }

    /// A connection was accepted. Returns the sockets to shut down: the new one when it is
    /// refused, or the connection it displaces.
    mutating func opened(_ key: UInt, socket: Int32, address: String, at now: Double) -> Shutdowns {
        var shutdowns: Shutdowns = []
        if liveByAddress[address, default: 0] >= limits.maxConnectionsPerAddress {
            guard let victim = longestWaiting(from: address) else {
                entries[key] = Entry(socket: socket, address: address, shutDown: true)
                return [(socket, .perAddressLimit)]
            }
            shutdowns.append(shutDown(victim, .displaced))
        } else if live >= limits.maxConnections {
            guard let victim = longestWaiting(from: nil) else {
                entries[key] = Entry(socket: socket, address: address, shutDown: true)
                return [(socket, .limit)]
            }
            shutdowns.append(shutDown(victim, .displaced))
        }
        entries[key] = Entry(socket: socket, address: address, waitingSince: now)
        live += 1
        liveByAddress[address, default: 0] += 1
        return shutdowns
    }

    /// The connection's request has arrived whole (or is answered early); it no longer waits.
    mutating func requestArrived(_ key: UInt) {
        entries[key]?.waitingSince = nil
        entries[key]?.peerClosedSince = nil
    }

    /// The connection's answer is sent; on keep-alive it waits for the next request from now.
    mutating func answerSent(_ key: UInt, at now: Double) {
        entries[key]?.waitingSince = now
    }

    mutating func closed(_ key: UInt) {
        guard let entry = entries.removeValue(forKey: key), !entry.shutDown else { return }
        release(entry.address)
    }

    /// Waiting connections, for the caller to ask which peers have closed.
    var waiting: [(key: UInt, socket: Int32)] {
        entries.compactMap { key, entry in
            entry.waitingSince != nil && !entry.shutDown ? (key, entry.socket) : nil
        }
    }

    /// The sockets to shut down at `now`: waits past the read timeout, and peers seen closed
    /// (`peerClosed`, from the waiting connections) for longer than the grace period.
    mutating func sweep(at now: Double, peerClosed: Set<UInt>) -> Shutdowns {
        var shutdowns: Shutdowns = []
        for (key, entry) in entries where !entry.shutDown {
            guard let since = entry.waitingSince else { continue }
            if now - since >= limits.readTimeout {
                shutdowns.append(shutDown(key, .readTimeout))
            } else if peerClosed.contains(key) {
                let closedSince = entry.peerClosedSince ?? now
                entries[key]?.peerClosedSince = closedSince
                if now - closedSince >= limits.peerCloseGrace { shutdowns.append(shutDown(key, .peerClosed)) }
            } else {
                entries[key]?.peerClosedSince = nil
            }
        }
        return shutdowns
    }

    /// Every connection still open, for a stop that must not wait for slow clients.
    mutating func shutDownAll() -> [Int32] {
        entries.keys.compactMap { key in
            entries[key]?.shutDown == false ? shutDown(key) : nil
        }
    }

    /// The live connection that has waited longest, of `address` when given.
    private func longestWaiting(from address: String?) -> UInt? {
        var oldest: (key: UInt, since: Double)?
        for (key, entry) in entries where !entry.shutDown && (address == nil || entry.address == address) {
            guard let since = entry.waitingSince, since < oldest?.since ?? .infinity else { continue }
            oldest = (key, since)
        }
        return oldest?.key
    }

    private mutating func shutDown(_ key: UInt, _ reason: Reason) -> (socket: Int32, reason: Reason) {
        (shutDown(key), reason)
    }

    private mutating func shutDown(_ key: UInt) -> Int32 {
        let entry = entries[key]!
        entries[key]?.shutDown = true
        release(entry.address)
        return entry.socket
    }

    private mutating func release(_ address: String) {
        live -= 1
        let remaining = liveByAddress[address, default: 1] - 1
        liveByAddress[address] = remaining > 0 ? remaining : nil
    }
}
