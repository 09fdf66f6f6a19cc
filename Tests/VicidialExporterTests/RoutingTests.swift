import Testing
import VicidialExporter

/// Which path and method gets which status, body and headers.
struct RoutingTests {
    static let notFoundBody = "not found: /metrics has the metrics, /event takes agent events\n"
    static let plainText = "text/plain; charset=utf-8"

    @Test(arguments: ["GET", "HEAD"])
    func landingPage(method: String) {
        let response = ExporterHarness().request(method, "/")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.text.hasPrefix("<!DOCTYPE html>\n"))
        #expect(response.text.contains(#"<li><a href="/metrics">/metrics</a>: metrics for Prometheus</li>"#))
    }

    @Test(arguments: ["GET", "HEAD"])
    func metrics(method: String) {
        let response = ExporterHarness().request(method, "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.text.hasPrefix("# HELP vicidial_agent_events_total "))
    }

    @Test(arguments: ["GET", "HEAD"])
    func healthy(method: String) {
        let response = ExporterHarness().request(method, "/-/healthy")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == Self.plainText)
        #expect(response.text == "Healthy\n")
    }

    @Test(arguments: ["GET", "HEAD"])
    func readyOnlyAfterMarkReady(method: String) {
        let harness = ExporterHarness()
        let before = harness.request(method, "/-/ready")
        #expect(before.status == 503)
        #expect(before.text == "Not ready\n")
        harness.exporter.markReady()
        let after = harness.request(method, "/-/ready")
        #expect(after.status == 200)
        #expect(after.text == "Ready\n")
    }

    @Test func eventTakesGetAndPost() {
        let harness = ExporterHarness()
        let get = harness.get("/event", query: "user=6666&event=state_ready")
        #expect(get.status == 200)
        #expect(get.text == "accepted\n")
        let post = harness.post("user=6666&event=state_paused")
        #expect(post.status == 200)
        #expect(post.text == "accepted\n")
    }

    @Test(arguments: [
        ("GET", "/nope"), ("GET", "/metrics/"), ("GET", "/event/"), ("GET", "/Metrics"), ("GET", "//"),
        ("HEAD", "/-/healthy/"), ("POST", "/events"), ("DELETE", "/nope"),
    ])
    func unknownPathIsNotFound(method: String, path: String) {
        let response = ExporterHarness().request(method, path)
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == Self.plainText)
        #expect(response.header("Allow") == nil)
        #expect(response.text == Self.notFoundBody)
    }

    @Test(arguments: [
        ("PUT", "/event", "GET, POST"), ("DELETE", "/event", "GET, POST"), ("HEAD", "/event", "GET, POST"),
        ("POST", "/metrics", "GET, HEAD"), ("PUT", "/metrics", "GET, HEAD"), ("DELETE", "/", "GET, HEAD"),
        ("POST", "/-/healthy", "GET, HEAD"), ("POST", "/-/ready", "GET, HEAD"), ("get", "/metrics", "GET, HEAD"),
    ])
    func wrongMethodIsNotAllowed(method: String, path: String, allow: String) {
        let response = ExporterHarness().request(method, path)
        #expect(response.status == 405)
        #expect(response.header("Allow") == allow)
        #expect(response.header("Content-Type") == Self.plainText)
        #expect(response.text == "method \(method) not allowed here; use \(allow)\n")
    }

    @Test func customTelemetryPath() {
        let harness = ExporterHarness(configuration: ExporterConfiguration(telemetryPath: "/prom"))
        let metrics = harness.get("/prom")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let old = harness.get("/metrics")
        #expect(old.status == 404)
        #expect(old.text == "not found: /prom has the metrics, /event takes agent events\n")
        #expect(harness.request("POST", "/prom").header("Allow") == "GET, HEAD")
        #expect(harness.get("/").text.contains(#"<li><a href="/prom">/prom</a>: metrics for Prometheus</li>"#))
        #expect(harness.samples().series("vicidial_exporter_http_requests_total") == [
            #"vicidial_exporter_http_requests_total{route="/",code="200"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/prom",code="200"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/prom",code="405"} 1"#,
            #"vicidial_exporter_http_requests_total{route="other",code="404"} 1"#,
        ])
    }

    /// Every request is counted by route label and status; unknown paths share `other`.
    @Test func requestsCountedByRouteAndCode() {
        let harness = ExporterHarness()
        _ = harness.get("/")
        _ = harness.request("HEAD", "/")
        _ = harness.request("DELETE", "/")
        _ = harness.get("/-/healthy")
        _ = harness.get("/-/ready")
        harness.exporter.markReady()
        _ = harness.get("/-/ready")
        _ = harness.get("/event", query: "user=6666&event=state_ready")
        _ = harness.get("/event")
        _ = harness.request("PUT", "/event")
        _ = harness.get("/nope")
        _ = harness.get("/also/nope")
        _ = harness.scrape()
        #expect(harness.samples().series("vicidial_exporter_http_requests_total") == [
            #"vicidial_exporter_http_requests_total{route="/",code="200"} 2"#,
            #"vicidial_exporter_http_requests_total{route="/",code="405"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/-/healthy",code="200"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/-/ready",code="200"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/-/ready",code="503"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/event",code="200"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/event",code="400"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/event",code="405"} 1"#,
            #"vicidial_exporter_http_requests_total{route="/metrics",code="200"} 1"#,
            #"vicidial_exporter_http_requests_total{route="other",code="404"} 2"#,
        ])
    }
}
