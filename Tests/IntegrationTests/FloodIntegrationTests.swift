import Foundation
import HTTPClient
import TestSupport
import Testing

/// A slowloris client and a connection flood against the release binary while Prometheus
/// scrapes from another address: the scrape is answered within the connection timeout, and the
/// exporter closes exactly the connections its limits say, for the reasons they say. All on
/// 127.0.0.x, with 20 + 100 connections and about 3 s of trickling.
@Suite(.serialized) struct FloodIntegrationTests {
    @Test func slowlorisAndAFloodPastThePerAddressLimitDoNotStarveTheScrape() throws {
        let exporter = try ExporterProcess(arguments: [
            "--web.read-timeout", "2s", "--web.connection-timeout", "10s",
            "--web.max-connections-per-ip", "32", "--web.max-connections", "128",
        ])
        // Slowloris from 127.0.0.2: headers one byte at a time, never finished.
        var slow: [RawHTTPClient] = []
        for _ in 0..<20 {
            let client = try RawHTTPClient(port: exporter.port, source: "127.0.0.2")
            try client.send("POST /event HTTP/1.1\r\n")
            slow.append(client)
        }
        // A flood from 127.0.0.3: 100 connections held open, 68 past its limit of 32.
        var flood: [RawHTTPClient] = []
        for _ in 0..<100 {
            let client = try RawHTTPClient(port: exporter.port, source: "127.0.0.3")
            try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n")
            flood.append(client)
        }
        var scrape: CurlResult?
        for round in 0..<15 {
            for client in slow { try? client.send("X") }
            if round == 5 {
                // Prometheus, from 127.0.0.1, bounded by the connection timeout.
                scrape = try curl(["--max-time", "10", "http://127.0.0.1:\(exporter.port)/metrics"])
            }
            usleep(200_000)
        }
        #expect(scrape?.status == 200)
        #expect(scrape?.body.contains("vicidial_exporter_build_info{") == true)

        // Every slow and every remaining flood connection is cut at the read deadline.
        let settled = try waitUntil(seconds: 10) {
            let metrics = try curl(["--max-time", "10", "http://127.0.0.1:\(exporter.port)/metrics"]).body
            return metrics.contains("vicidial_exporter_http_connections_closed_total{reason=\"read_timeout\"} 52\n")
        }
        #expect(settled)
        let metrics = try curl(["--max-time", "10", "http://127.0.0.1:\(exporter.port)/metrics"]).body
        // Past its limit each new flood connection displaced the flood's own longest-waiting one;
        // none had to be refused, and no other address lost one.
        #expect(metrics.contains("vicidial_exporter_http_connections_closed_total{reason=\"displaced\"} 68\n"))
        #expect(metrics.contains("vicidial_exporter_http_connections_closed_total{reason=\"per_address_limit\"} 0\n"))
        #expect(metrics.contains("vicidial_exporter_http_connections_closed_total{reason=\"limit\"} 0\n"))
        #expect(metrics.contains("vicidial_exporter_http_connections 1\n")) // this scrape's
        for client in slow + flood { #expect(try client.readUntilClosed().isEmpty) }
        #expect(try exporter.terminate() == 0)
    }
}
