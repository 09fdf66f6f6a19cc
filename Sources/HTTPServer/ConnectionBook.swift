/// The connections the server holds, and the rules that keep any client from starving the others.
/// Pure bookkeeping: it decides which sockets to shut down, `ConnectionGuard` does it.
///
/// A connection *waits* from when it opens, and again after each answer, until its next request
/// has arrived whole; it is then *handled* (the handler runs), and *writing* while its answer is
/// sent.
/// - A waiting connection is shut down when its wait reaches `readTimeout` (however slowly its
///   bytes trickle in), or when its peer has closed its side. A kept-alive connection on which no
///   new request has begun is idle, not late (`idleTimeout`): Prometheus keeps its connection
///   between scrapes.
/// - Past `maxConnections` live connections, or `maxConnectionsPerAddress` from one address, a
///   new connection takes the place of the one that has waited longest, else of the one that
///   has been writing longest (of that address when the address is at its limit): an idle
///   keep-alive, a slow client or a slow reader gives way to a fresh connection, such as a
///   scrape, which sends its request at once and reads its answer at once. Only a connection
///   whose handler is running (at most one per server thread) is never displaced; when every
///   candidate is one, the new connection is refused.
/// - At most `maxAnswersInFlight` answers are being written at once: each holds its body (a
///   whole /metrics page) until the client has read it, so one more displaces the connection
///   that has been writing longest.
/// - An address that has left `maxUnreadAnswersPerAddress` answers to one path unread (still
///   being written `unreadAfter` after they were queued) gets no more answers to that path:
///   `requestArrived` says so, and the server refuses the request before its handler runs, so a
///   client that never reads cannot make the server render page after page. Other paths from the
///   same address (pushes through a proxy that also carries scrapes) are not affected.
struct ConnectionBook: Sendable {
    struct Limits: Sendable {
        var maxConnections: Int
        var maxConnectionsPerAddress: Int
        var maxAnswersInFlight: Int
        var maxUnreadAnswersPerAddress: Int
        /// Seconds a request may take to arrive whole, counted from the connection's opening or
        /// from the previous answer.
        var readTimeout: Double
        /// A peer's close is acted on once it has been seen for this long, so that a request
        /// sent just before a half-close is still read and answered.
        var peerCloseGrace: Double = 0.2
        /// An answer still being written this long after it was queued counts as unread.
        var unreadAfter: Double = 0.1
    }

    /// Why a connection was shut down or refused; label values of the server's metrics.
    enum Reason: String, Sendable, CaseIterable {
        case readTimeout = "read_timeout"
        case idleTimeout = "idle_timeout"
        case peerClosed = "peer_closed"
        case displaced
        case limit
        case perAddressLimit = "per_address_limit"
    }

    enum Phase: Sendable, Equatable {
        case waiting(since: Double)
        case handling
        case writing(since: Double)
    }

    struct Entry: Sendable {
        let socket: Int32
        let address: String
        var phase: Phase
        /// When its peer's close was first seen while waiting.
        var peerClosedSince: Double?
        /// Shut down (or refused) by us; it still holds a libmicrohttpd slot until MHD closes it.
        var shutDown = false

        /// The path of its current (or last) request.
        var path = ""
        /// Counted in `unreadByAddressAndPath` (by `sweep`).
        var unread = false
        /// Has had an answer, and no request has begun on it since: an idle keep-alive.
        var idle = false
        /// A request's headers have arrived and its body is being read.
        var receiving = false

        var waitingSince: Double? {
            if case .waiting(let since) = phase { since } else { nil }
        }

        var writingSince: Double? {
            if case .writing(let since) = phase { since } else { nil }
        }
    }

    /// What to do with sockets: shut them down, each for its reason.
    typealias Shutdowns = [(socket: Int32, reason: Reason)]

    let limits: Limits
    private(set) var entries: [UInt: Entry] = [:]
    private(set) var live = 0
    private var liveByAddress: [String: Int] = [:]
    /// Live connections writing an answer.
    private var writing = 0
    /// Live connections whose answer counts as unread, by address and path.
    private var unreadByAddressAndPath: [String: Int] = [:]

    init(limits: Limits) {
        self.limits = limits
    }

    /// A connection was accepted. Returns the sockets to shut down: the new one when it is
    /// refused, or the connection it displaces.
    mutating func opened(_ key: UInt, socket: Int32, address: String, at now: Double) -> Shutdowns {
        var shutdowns: Shutdowns = []
        if liveByAddress[address, default: 0] >= limits.maxConnectionsPerAddress {
            guard let victim = displaceable(from: address) else {
                entries[key] = Entry(socket: socket, address: address, phase: .waiting(since: now), shutDown: true)
                return [(socket, .perAddressLimit)]
            }
            shutdowns.append(shutDown(victim, .displaced))
        } else if live >= limits.maxConnections {
            guard let victim = displaceable(from: nil) else {
                entries[key] = Entry(socket: socket, address: address, phase: .waiting(since: now), shutDown: true)
                return [(socket, .limit)]
            }
            shutdowns.append(shutDown(victim, .displaced))
        }
        entries[key] = Entry(socket: socket, address: address, phase: .waiting(since: now))
        live += 1
        Self.add(1, to: address, in: &liveByAddress)
        return shutdowns
    }

    /// A request has begun on the connection: its request line is in.
    mutating func requestBegan(_ key: UInt) {
        entries[key]?.idle = false
    }

    /// The connection's request headers are complete; its body (if any) is being read.
    mutating func headersArrived(_ key: UInt) {
        entries[key]?.receiving = true
    }

    /// The connection's request for `path` has arrived whole (or is answered early). Returns
    /// whether its handler may run: false while its address has `maxUnreadAnswersPerAddress`
    /// unread answers to that path.
    mutating func requestArrived(_ key: UInt, path: String) -> Bool {
        guard entries[key] != nil else { return true }
        entries[key]?.receiving = false
        enter(.handling, key)
        entries[key]?.path = path
        let allowed = unreadByAddressAndPath[Self.unreadKey(entries[key]!), default: 0] < limits.maxUnreadAnswersPerAddress
        entries[key]?.peerClosedSince = nil
        return allowed
    }

    /// The connection's answer is queued for writing. Returns the connection it displaces when
    /// more than `maxAnswersInFlight` answers are being written.
    mutating func answerQueued(_ key: UInt, at now: Double) -> Shutdowns {
        guard entries[key]?.shutDown == false else { return [] }
        enter(.writing(since: now), key)
        guard writing > limits.maxAnswersInFlight, let victim = longest(\.writingSince, from: nil, except: key) else {
            return []
        }
        return [shutDown(victim, .displaced)]
    }

    /// The connection's answer is sent; on keep-alive it waits for the next request from now.
    mutating func answerSent(_ key: UInt, at now: Double) {
        enter(.waiting(since: now), key)
        entries[key]?.idle = true
    }

    mutating func closed(_ key: UInt) {
        guard let entry = entries.removeValue(forKey: key), !entry.shutDown else { return }
        release(entry)
    }

    /// Waiting connections, for the caller to ask which peers have closed.
    var waiting: [(key: UInt, socket: Int32)] {
        entries.compactMap { key, entry in
            entry.waitingSince != nil && !entry.shutDown ? (key, entry.socket) : nil
        }
    }

    /// The sockets to shut down at `now`: waits past the read timeout, and peers seen closed
    /// (`peerClosed`, from the waiting connections) for longer than the grace period. Also marks
    /// the answers that count as unread from now on.
    mutating func sweep(at now: Double, peerClosed: Set<UInt>) -> Shutdowns {
        var shutdowns: Shutdowns = []
        for (key, entry) in entries where !entry.shutDown {
            if let writing = entry.writingSince, !entry.unread, now - writing >= limits.unreadAfter {
                entries[key]?.unread = true
                Self.add(1, to: Self.unreadKey(entry), in: &unreadByAddressAndPath)
            }
            guard let since = entry.waitingSince else { continue }
            if now - since >= limits.readTimeout {
                shutdowns.append(shutDown(key, entry.idle ? .idleTimeout : .readTimeout))
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

    /// Live connections with a request in flight (headers in and the body being read, handled,
    /// or answered): what a clean stop waits for. A request whose headers still trickle in is
    /// not waited for, so slow clients cannot hold a stop up.
    var busy: Int {
        entries.values.count { !$0.shutDown && ($0.waitingSince == nil || $0.receiving) }
    }

    /// Every connection still open, for a stop that must not wait for slow clients.
    mutating func shutDownAll() -> [Int32] {
        entries.keys.compactMap { key in
            entries[key]?.shutDown == false ? shutDown(key) : nil
        }
    }

    /// The connection to give way to a new one (of `address` when given): the one waiting
    /// longest, else the one writing longest; nil when all are being handled.
    private func displaceable(from address: String?) -> UInt? {
        longest(\.waitingSince, from: address, except: nil) ?? longest(\.writingSince, from: address, except: nil)
    }

    /// The live connection with the earliest `since` (of `address` when given), other than `except`.
    private func longest(_ since: KeyPath<Entry, Double?>, from address: String?, except: UInt?) -> UInt? {
        var oldest: (key: UInt, since: Double)?
        for (key, entry) in entries
        where !entry.shutDown && key != except && (address == nil || entry.address == address) {
            guard let started = entry[keyPath: since], started < oldest?.since ?? .infinity else { continue }
            oldest = (key, started)
        }
        return oldest?.key
    }

    private mutating func shutDown(_ key: UInt, _ reason: Reason) -> (socket: Int32, reason: Reason) {
        (shutDown(key), reason)
    }

    private mutating func shutDown(_ key: UInt) -> Int32 {
        let entry = entries[key]!
        entries[key]?.shutDown = true
        release(entry)
        return entry.socket
    }

    /// Moves a live connection to `phase`, keeping the counts of answers being written.
    private mutating func enter(_ phase: Phase, _ key: UInt) {
        guard var entry = entries[key], !entry.shutDown else { return }
        stopCounting(entry)
        entry.phase = phase
        entry.unread = false
        entries[key] = entry
        if entry.writingSince != nil { writing += 1 }
    }

    /// A live connection stops counting: it closed, or was shut down.
    private mutating func release(_ entry: Entry) {
        live -= 1
        Self.add(-1, to: entry.address, in: &liveByAddress)
        stopCounting(entry)
    }

    /// Takes `entry`'s answer out of the counts of answers being written and unread.
    private mutating func stopCounting(_ entry: Entry) {
        if entry.writingSince != nil { writing -= 1 }
        if entry.unread { Self.add(-1, to: Self.unreadKey(entry), in: &unreadByAddressAndPath) }
    }

    private static func unreadKey(_ entry: Entry) -> String { entry.address + " " + entry.path }

    /// Adds to a count by address, dropping addresses whose count reaches 0.
    private static func add(_ change: Int, to address: String, in counts: inout [String: Int]) {
        let count = counts[address, default: 0] + change
        counts[address] = count > 0 ? count : nil
    }
}
