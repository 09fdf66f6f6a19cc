import Testing
import VicidialExporter

/// The page at `/`: the Agent Push URL with `message` last, and the address the server is bound to.
struct LandingPageTests {
    @Test func showsTheBoundAddressAndThePushURL() {
        let harness = ExporterHarness()
        harness.exporter.listening(on: ListenHostPort(host: nil, port: 43_211))
        let response = harness.get("/")
        #expect(response.status == 200)
        #expect(
            response.text == """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>VICIdial Exporter</title></head>
                <body>
                <h1>VICIdial Exporter</h1>
                <p>Receives VICIdial agent push events and exposes per-agent time accounting for Prometheus.
                Version \(BuildInfo.version).</p>
                <p>Listening on <code>:43211</code>.</p>
                <ul>
                <li><a href="/metrics">/metrics</a>: metrics for Prometheus</li>
                <li><a href="/-/healthy">/-/healthy</a> and <a href="/-/ready">/-/ready</a>: health checks</li>
                </ul>
                <h2>Agent Push URL</h2>
                <p>In VICIdial, Admin &rarr; System Settings: set <b>Agent Push Events</b> to 1 and <b>Agent Push URL</b>
                to a path on the VICIdial web server that a reverse proxy forwards to this exporter's <code>/event</code>, e.g.</p>
                <pre>/vicidial-events?user=--A--user--B--&amp;event=--A--event--B--&amp;counter=--A--counter--B--&amp;epoch=--A--epoch--B--&amp;agent_log_id=--A--agent_log_id--B--&amp;lead_id=--A--lead_id--B--&amp;message=--A--message--B--</pre>
                <p>Keep <code>message</code> last: an <code>&amp;</code> or <code>?</code> in a message swallows the fields after it.
                With Apache: <code>ProxyPass /vicidial-events http://127.0.0.1:43211/event</code> (contrib/apache/vicidial-exporter.conf).
                The agent screen can only post to its own web server; to reach another host use VICIdial's
                <code>extras/get2post.php</code> relay. Events are accepted as GET query, form POST or JSON POST.</p>
                </body>
                </html>

                """)
    }

    @Test func aSpecificAddressIsTheProxyTarget() {
        let harness = ExporterHarness()
        harness.exporter.listening(on: ListenHostPort(host: "::1", port: 9957))
        let text = harness.get("/").text
        #expect(text.contains("<p>Listening on <code>[::1]:9957</code>.</p>\n"))
        #expect(text.contains("<code>ProxyPass /vicidial-events http://[::1]:9957/event</code>"))
    }

    @Test func beforeListeningThePortIsAPlaceholder() {
        let text = ExporterHarness().get("/").text
        #expect(!text.contains("Listening on"))
        #expect(text.contains("<code>ProxyPass /vicidial-events http://127.0.0.1:PORT/event</code>"))
    }

    @Test func messageIsTheLastField() {
        #expect(LandingPage.pushURL.hasSuffix("&message=--A--message--B--"))
        #expect(LandingPage.pushURL.components(separatedBy: "message=").count == 2)
    }
}
