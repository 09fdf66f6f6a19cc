/// Where and how the server listens.
public struct HTTPServerConfiguration: Sendable {
    /// A literal IP address to bind ("127.0.0.1", "::1", "0.0.0.0", "::", ...);
    /// nil binds all interfaces, dual-stack IPv6 + IPv4 where IPv6 is available.
    /// An IPv6 address, "::" included, accepts IPv6 only.
    public var host: String?
    /// 0 lets the kernel pick a free port; read it back with `HTTPServer.boundPort`.
    public var port: UInt16
    /// Largest request body handed to the handler; larger ones set `HTTPRequest.bodyTooLarge`.
    public var maxBodyBytes: Int
    /// Most simultaneous connections; past it a new connection displaces the one that has
    /// waited longest for its request, or is refused when all are busy (see `ConnectionBook`).
    public var connectionLimit: Int
    /// The same, for the connections from one client address.
    public var connectionsPerAddressLimit: Int
    /// Most answers being written at once (each holds its body until the client has read it);
    /// one more displaces the connection that has been writing longest.
    public var answersInFlightLimit: Int
    /// The answers to one path that one client address may leave unread (still being written
    /// 0.1 s after they were queued); its next requests to that path are refused with 429
    /// before the handler runs.
    public var unreadAnswersPerAddressLimit: Int
    /// Seconds a request may take to arrive whole (headers and body), counted from the
    /// connection's opening or from the previous answer on a kept-alive connection.
    public var readTimeoutSeconds: Double
    /// Idle seconds before a connection is closed, also while an answer is being sent; 0 never
    /// closes one.
    public var connectionTimeoutSeconds: Int
    /// Threads that serve connections (and call the handler).
    public var threadPoolSize: Int
    /// Paths whose requests are handled on a thread of their own while their connection is
    /// suspended, so that a slow answer (a large scrape) does not hold up the other connections
    /// of its pool thread (`OffloadedRequests`).
    public var offloadedPaths: Set<String>

    public init(
        host: String? = nil,
        port: UInt16,
        maxBodyBytes: Int = 65_536,
        connectionLimit: Int = 512,
        connectionsPerAddressLimit: Int = 256,
        answersInFlightLimit: Int = 8,
        unreadAnswersPerAddressLimit: Int = 2,
        readTimeoutSeconds: Double = 10,
        connectionTimeoutSeconds: Int = 30,
        threadPoolSize: Int = 4,
        offloadedPaths: Set<String> = []
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.connectionLimit = connectionLimit
        self.connectionsPerAddressLimit = connectionsPerAddressLimit
        self.answersInFlightLimit = answersInFlightLimit
        self.unreadAnswersPerAddressLimit = unreadAnswersPerAddressLimit
        self.readTimeoutSeconds = readTimeoutSeconds
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.threadPoolSize = threadPoolSize
        self.offloadedPaths = offloadedPaths
    }
}
