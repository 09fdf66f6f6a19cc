import HTTPServer
import TestSupport
import Testing
import VicidialExporter

/// `/metrics` with `Accept-Encoding`: gzip when asked for, the same page inside.
struct ScrapeCompressionTests {
    @Test func gzipWhenAskedFor() throws {
        let harness = ExporterHarness()
        harness.push("state_ready", "READY", counter: 2, at: 0)
        let compressed = harness.get("/metrics", headers: [("Accept-Encoding", "gzip")])
        #expect(compressed.status == 200)
        #expect(compressed.header("Content-Encoding") == "gzip")
        #expect(compressed.header("Vary") == "Accept-Encoding")
        #expect(compressed.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let page = try #require(gunzip(compressed.body))

        // The next scrape, uncompressed, reports the previous one's size before compression.
        let plain = harness.get("/metrics")
        #expect(plain.header("Content-Encoding") == nil)
        #expect(plain.header("Vary") == "Accept-Encoding")
        #expect(plain.text.contains("\nvicidial_exporter_last_scrape_size_bytes \(page.count)\n"))
        #expect(Self.withoutScrapeGauges(String(decoding: page, as: UTF8.self)) == Self.withoutScrapeGauges(plain.text))
    }

    @Test(arguments: ["identity", "gzip;q=0", "br"])
    func identityOtherwise(acceptEncoding: String) {
        let response = ExporterHarness().get("/metrics", headers: [("Accept-Encoding", acceptEncoding)])
        #expect(response.header("Content-Encoding") == nil)
        #expect(response.text.hasPrefix("# HELP vicidial_agent_events_total "))
    }

    @Test func headIsNotCompressed() {
        let harness = ExporterHarness()
        let response = harness.exporter.handle(
            HTTPRequest(method: "HEAD", path: "/metrics", headers: HTTPHeaders([("Accept-Encoding", "gzip")])))
        #expect(response.status == 200)
        #expect(response.header("Content-Encoding") == nil)
        #expect(response.header("Vary") == "Accept-Encoding")
    }

    @Test func errorsAreNotCompressed() {
        let response = ExporterHarness(recovering: true).get("/metrics", headers: [("Accept-Encoding", "gzip")])
        #expect(response.status == 503)
        #expect(response.header("Content-Encoding") == nil)
    }

    /// The page without the samples that count scrapes, which differ from one scrape to the next.
    static func withoutScrapeGauges(_ page: String) -> [Substring] {
        page.split(separator: "\n").filter {
            !$0.hasPrefix("vicidial_exporter_last_scrape_") && !$0.hasPrefix(#"vicidial_exporter_http_requests_total{route="/metrics""#)
        }
    }
}
