import Foundation
import HTTPClient
import TestSupport
import Testing

/// `/metrics` gzip-compressed by the release binary, decoded by zlib and by curl: the same page
/// as an uncompressed scrape.
@Suite(.serialized) struct ScrapeCompressionIntegrationTests {
    @Test func gzipScrapeHoldsTheSamePage() throws {
        // In memory: with a journal each scrape would change the journal counters.
        let exporter = try ExporterProcess(arguments: ["--storage.path", ""])
        let epoch = Int(Date().timeIntervalSince1970)
        for (counter, event) in ["logged_in", "state_ready"].enumerated() {
            let client = try RawHTTPClient(port: exporter.port)
            let body = "user=6666&event=\(event)&counter=\(counter + 2)&epoch=\(epoch)"
            try client.send(
                "POST /event HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            #expect(try client.readResponse().status == 200)
        }

        let client = try RawHTTPClient(port: exporter.port)
        try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
        let compressed = try client.readResponse()
        #expect(compressed.status == 200)
        #expect(compressed.header("Content-Encoding") == "gzip")
        #expect(compressed.header("Vary") == "Accept-Encoding")
        let page = String(decoding: try #require(gunzip(compressed.body)), as: UTF8.self)
        #expect(page.contains("\nvicidial_exporter_events_received_total 2\n"))

        let plain = try loopbackGet(exporter.port, "/metrics")
        #expect(plain.header("Content-Encoding") == nil)
        #expect(plain.bodyText.contains("\nvicidial_exporter_last_scrape_size_bytes \(page.utf8.count)\n"))
        #expect(Self.withoutScrapeCounts(page) == Self.withoutScrapeCounts(plain.bodyText))

        // curl --compressed decodes on its own (it asks for gzip among others).
        let curl = try Self.curlCompressed(port: exporter.port)
        #expect(curl.headers.contains("\r\ncontent-encoding: gzip\r\n"))
        #expect(Self.withoutScrapeCounts(curl.body) == Self.withoutScrapeCounts(plain.bodyText))
        #expect(try exporter.terminate() == 0)
    }

    /// The page without what changes from one scrape to the next: the previous scrape's gauges,
    /// the scrape counts and the process samples.
    static func withoutScrapeCounts(_ page: String) -> [Substring] {
        page.split(separator: "\n").filter {
            !$0.hasPrefix("vicidial_exporter_last_scrape_") && !$0.hasPrefix("vicidial_exporter_http_")
                && !$0.hasPrefix("process_")
        }
    }

    /// curl's headers (lowercased) and decoded body for one compressed scrape.
    static func curlCompressed(port: UInt16) throws -> (headers: String, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--silent", "--show-error", "--compressed", "--dump-header", "-", "http://127.0.0.1:\(port)/metrics"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let parts = try #require(text.range(of: "\r\n\r\n"))
        return (String(text[..<parts.lowerBound]).lowercased() + "\r\n", String(text[parts.upperBound...]))
    }
}
