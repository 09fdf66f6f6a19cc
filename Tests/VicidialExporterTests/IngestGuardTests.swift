import AgentEvents
import HTTPServer
import Testing

@testable import VicidialExporter

/// `--ingest.allowed-sources`, `--web.trusted-proxies` and `--ingest.token-file` at the
/// exporter: exact answers, counted rejections, and scrapes never affected.
struct IngestGuardTests {
    static let secret = "s3cret-Token_4242"
    static let push = "user=6666&event=state_ready&message=READY&lead_id=&counter=0&epoch=1764000000&agent_log_id="

    @Test(arguments: [
        ("10.0.0.0/8", "10.200.3.4", true), ("10.0.0.0/8", "11.0.0.1", false), ("192.0.2.7", "192.0.2.7", true),
        ("192.0.2.7", "192.0.2.8", false), ("0.0.0.0/0", "203.0.113.9", true), ("0.0.0.0/0", "::1", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false), ("::1", "::1", true),
        ("::/0", "2001:db8::1", true), ("127.0.0.0/8", "::ffff:127.0.0.9", true), ("10.1.2.3/31", "10.1.2.2", true),
        ("10.1.2.3/31", "10.1.2.4", false), ("10.0.0.0/8", "not an address", false), ("10.0.0.0/8", "", false),
    ])
    func rangesContainExactlyTheirAddresses(_ range: String, _ address: String, _ contained: Bool) {
        #expect(AddressRange(range)!.contains(address) == contained)
    }

    @Test(arguments: ["", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/8/8", "10.0.0.0/-1", "host.example",
        "10.0.0.0/ 8", "1.2.3.4:80", "[::1]"])
    func malformedRangesAreRefused(_ text: String) {
        #expect(AddressRange(text) == nil)
    }

    @Test func listsNameTheirFirstBadEntry() throws {
        #expect(try AddressRange.list(" 10.0.0.0/8, 2001:db8::/32 ,192.0.2.1").map(\.description) == [
            "10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32",
        ])
        #expect(throws: AddressRange.InvalidEntry(entry: "10.0.0.300")) { try AddressRange.list("10.0.0.0/8,10.0.0.300") }
    }

    /// The rightmost address that is not a trusted proxy; the header only from a trusted peer.
    @Test(arguments: [
        ("127.0.0.1", nil, "127.0.0.1"),  // no header
        ("127.0.0.1", "203.0.113.5", "203.0.113.5"),  // through the trusted proxy
        ("127.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  // the client's own claim further left is not believed
        ("127.0.0.1", "203.0.113.5, 10.0.0.2", "203.0.113.5"),  // past a second trusted proxy
        ("127.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),  // every hop trusted: the leftmost
        ("127.0.0.1", "garbage", "garbage"),  // not an address: matches no allowlist
        ("192.0.2.9", "203.0.113.5", "192.0.2.9"),  // an untrusted peer's header is ignored
    ] as [(String, String?, String)])
    func forwardedForIsBelievedOnlyFromTrustedProxies(_ peer: String, _ header: String?, _ client: String) throws {
        let trusted = try AddressRange.list("127.0.0.1,10.0.0.0/8")
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: header, trustedProxies: trusted) == client)
    }

    @Test(arguments: [("127.0.0.1:9957", true), ("[::1]:9957", true), ("localhost:1", true), (":9957", false),
        ("0.0.0.0:9957", false), ("192.0.2.1:9957", false), ("[::]:9957", false)])
    func loopbackListenersNeedNoGuardWarning(_ flag: String, _ loopback: Bool) {
        #expect(ListenHostPort(flag)!.isLoopback == loopback)
    }

    static func guarded(allowed: String? = nil, trusted: String = "") throws -> Exporter {
        Exporter(
            configuration: ExporterConfiguration(
                ingestToken: try IngestToken(fileText: secret), allowedSources: try allowed.map { try AddressRange.list($0) },
                trustedProxies: try AddressRange.list(trusted)),
            clock: ManualClock(1_764_000_000), readProcessStats: { nil })
    }

    static func request(_ query: String, from peer: String, forwardedFor: String? = nil, path: String = "/event") -> HTTPRequest {
        HTTPRequest(
            method: "GET", path: path, query: query,
            headers: HTTPHeaders(forwardedFor.map { [("X-Forwarded-For", $0)] } ?? []), remoteAddress: peer)
    }

    @Test func sourcesOutsideTheAllowlistGet403CountedScrapesPass() throws {
        let exporter = try Self.guarded(allowed: "192.0.2.0/24", trusted: "127.0.0.1")
        let refused = exporter.handle(Self.request("token=\(Self.secret)&" + Self.push, from: "198.51.100.7"))
        #expect(refused.status == 403)
        #expect(refused.text == "source address 198.51.100.7 may not push events: it is not in --ingest.allowed-sources\n")
        // The trusted proxy's X-Forwarded-For names an allowed client; an untrusted peer's is ignored.
        #expect(exporter.handle(Self.request("token=\(Self.secret)&" + Self.push, from: "127.0.0.1", forwardedFor: "192.0.2.44")).status == 200)
        #expect(exporter.handle(Self.request("token=\(Self.secret)&" + Self.push, from: "198.51.100.7", forwardedFor: "192.0.2.44")).status == 403)
        // A client's own X-Forwarded-For sent first cannot hide the hop the proxy appended last.
        let twoFields = HTTPRequest(
            method: "GET", path: "/event", query: "token=\(Self.secret)&" + Self.push,
            headers: HTTPHeaders([("X-Forwarded-For", "192.0.2.44"), ("X-Forwarded-For", "198.51.100.9")]),
            remoteAddress: "127.0.0.1")
        #expect(exporter.handle(twoFields).status == 403)
        let scrape = exporter.handle(Self.request("", from: "198.51.100.7", path: "/metrics"))
        #expect(scrape.status == 200)
        #expect(scrape.text.contains(#"vicidial_exporter_events_rejected_total{reason="forbidden_source"} 3"# + "\n"))
    }

    @Test func aMissingOrWrongTokenGets401CountedAndTheTokenIsNeverShown() throws {
        let exporter = try Self.guarded()
        let missing = exporter.handle(Self.request(Self.push, from: "127.0.0.1"))
        #expect(missing.status == 401)
        #expect(missing.text.hasPrefix("missing or wrong ingest token: "))
        #expect(missing.header("WWW-Authenticate") == "Bearer")
        #expect(exporter.handle(Self.request("token=\(Self.secret)x&" + Self.push, from: "127.0.0.1")).status == 401)
        #expect(exporter.handle(Self.request("token=\(Self.secret)&" + Self.push, from: "127.0.0.1")).status == 200)
        let scrape = exporter.handle(Self.request("", from: "127.0.0.1", path: "/metrics")).text
        #expect(scrape.contains(#"vicidial_exporter_events_rejected_total{reason="unauthorized"} 2"# + "\n"))
        #expect(!scrape.contains(Self.secret))
    }
}
