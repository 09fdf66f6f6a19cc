import Testing
import VicidialExporter

/// `Accept-Encoding` for `/metrics` (RFC 9110 §12.5.3).
struct ContentCodingTests {
    @Test(arguments: [
        ("gzip", ContentCoding.gzip),  // what Prometheus sends
        ("gzip, deflate, br", .gzip),
        ("GZIP", .gzip),
        ("x-gzip", .gzip),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", .gzip),
        ("gzip;q=0.5", .gzip),  // identity not named: acceptable, but wanted least
        ("*", .gzip),
        ("*;q=0.5", .gzip),
        ("identity;q=0.5, gzip;q=0.5", .gzip),  // a tie goes to the smaller answer
        (" gzip ; q=1 ", .gzip),
        ("gzip;q=1.000", .gzip),
        ("gzip;q=0.001", .gzip),
        ("identity;q=0, *", .gzip),
    ])
    func choosesGzip(header: String, coding: ContentCoding) {
        #expect(ContentCoding.negotiate(acceptEncoding: header) == coding)
    }

    @Test(arguments: [
        "",
        "identity",
        "deflate, br",
        "gzip;q=0",
        "gzip;q=0.000",
        "*;q=0",
        "gzip;q=0, *",  // named refusal wins over the wildcard
        "identity, gzip;q=0.5",
        "identity;q=1, *;q=0.9",
        "gzip;q=2",  // malformed q-values drop their entry
        "gzip;q=1.5",
        "gzip;q=0.5000",
        "gzip;q=nan",
        "gzip;q=1e0",
        "gzip;q=",
        "gzipx",
        "identity;q=0",  // nothing acceptable: identity all the same, not 406
    ])
    func choosesIdentity(header: String) {
        #expect(ContentCoding.negotiate(acceptEncoding: header) == .identity)
    }

    @Test func noHeaderMeansIdentity() {
        #expect(ContentCoding.negotiate(acceptEncoding: nil) == .identity)
    }
}
