/// Turns one HTTP request (from the agent screen, get2post.php or any sender of the same
/// fields) into an `AgentEvent`, or the reason it cannot be one. Pure: no I/O, no clock.
///
/// The same field given twice counts once: its first occurrence wins. Since the agent screen
/// does not percent-encode, a message holding `&counter=99` before the real counter sets the
/// counter to 99; nothing on the wire tells the two apart.
public struct EventDecoder: Sendable {
    /// Lengths in characters (Unicode scalars, as MySQL counts VARCHAR lengths).
    public struct Limits: Sendable, Equatable {
        /// Longer users are rejected (vicidial_users.user is VARCHAR(20)).
        public var userMaxLength: Int
        /// Longer event names are rejected.
        public var eventMaxLength: Int
        /// Longer messages are truncated, not rejected.
        public var messageMaxLength: Int

        public init(userMaxLength: Int = 20, eventMaxLength: Int = 64, messageMaxLength: Int = 1024) {
            self.userMaxLength = userMaxLength
            self.eventMaxLength = eventMaxLength
            self.messageMaxLength = messageMaxLength
        }
    }

    public let limits: Limits
    /// When set, a push must carry this token (`token` field or a bearer `authorization`), else
    /// it is refused as `unauthorized` before its fields are validated.
    public let token: IngestToken?

    public init(limits: Limits = Limits(), token: IngestToken? = nil) {
        self.limits = limits
        self.token = token
    }

    /// A GET: `query` is the raw (undecoded) query string, nil when the URL has none;
    /// `authorization` the request's Authorization header.
    public func decode(query: String?, authorization: String? = nil) -> Result<AgentEvent, EventRejection> {
        decode(body: [], contentType: nil, query: query, authorization: authorization)
    }

    /// A POST: the raw body, its Content-Type (nil means form) and the raw query string.
    /// Fields in the body win; the query only fills in fields the body lacks. An empty body
    /// is decoded from the query alone, whatever its Content-Type (admins configure GET-style
    /// URLs, but the agent screen always POSTs).
    ///
    /// With a token configured, a request that does not carry it learns nothing else: it gets
    /// `unauthorized` even when its body cannot be read at all.
    public func decode(
        body: [UInt8], contentType: String?, query: String?, authorization: String? = nil
    ) -> Result<AgentEvent, EventRejection> {
        Result { () throws(EventRejection) in
            let fields: RawFields
            do throws(EventRejection) {
                fields = try parsedFields(body: body, contentType: contentType, query: query)
            } catch {
                if let token, !token.acceptsAuthorization(authorization), !token.accepts(Self.queryToken(query)) {
                    throw .unauthorized
                }
                throw error
            }
            try authorize(fields, authorization)
            return try event(from: fields)
        }
    }

    private func parsedFields(body: [UInt8], contentType: String?, query: String?) throws(EventRejection) -> RawFields {
        var fields = RawFields()
        if body.isEmpty {
            guard let query, !query.isEmpty else { throw .emptyRequest }
        } else {
            switch BodyEncoding(contentType: contentType) {
            case .form: FormDecoding.collect(body, into: &fields)
            case .json: fields = try JSONFields.decode(body)
            case .unsupported(let mediaType): throw .unsupportedContentType(Echo.text(mediaType))
            }
        }
        if let query { FormDecoding.collect(query, into: &fields) }
        return fields
    }

    private static func queryToken(_ query: String?) -> String? {
        guard let query else { return nil }
        var fields = RawFields()
        FormDecoding.collect(query, into: &fields)
        return fields[.token]
    }

    private func authorize(_ fields: RawFields, _ authorization: String?) throws(EventRejection) {
        guard let token else { return }
        guard token.accepts(fields[.token]) || token.acceptsAuthorization(authorization) else { throw .unauthorized }
    }
}
