/// The page at `/`: what this is, where the metrics are, how to point VICIdial at it.
public enum LandingPage {
    /// The path on the VICIdial web server that its reverse proxy forwards to `/event`: one path
    /// everywhere (README, `--help`, this page, contrib/'s Apache and nginx snippets).
    public static let proxyPath = "/vicidial-events"

    /// The Agent Push URL to set in VICIdial, on `proxyPath`.
    /// `message` comes last: an `&` or `?` inside a message swallows every field after it.
    public static let pushURL = proxyPath + "?user=--A--user--B--&event=--A--event--B--&counter=--A--counter--B--&epoch=--A--epoch--B--"
        + "&agent_log_id=--A--agent_log_id--B--&lead_id=--A--lead_id--B--&message=--A--message--B--"

    /// `listening`: the address the server is bound to, its port resolved; nil before it listens.
    static func html(telemetryPath: String, listening: ListenHostPort?) -> String {
        let path = escape(telemetryPath)
        let listeningLine = listening.map { "<p>Listening on <code>\(escape($0.description))</code>.</p>\n" } ?? ""
        let proxyTarget = escape(listening?.localURLAuthority ?? "127.0.0.1:PORT")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>VICIdial Exporter</title></head>
            <body>
            <h1>VICIdial Exporter</h1>
            <p>Receives VICIdial agent push events and exposes per-agent time accounting for Prometheus.
            Version \(BuildInfo.version).</p>
            \(listeningLine)<ul>
            <li><a href="\(path)">\(path)</a>: metrics for Prometheus</li>
            <li><a href="/-/healthy">/-/healthy</a> and <a href="/-/ready">/-/ready</a>: health checks</li>
            </ul>
            <h2>Agent Push URL</h2>
            <p>In VICIdial, Admin &rarr; System Settings: set <b>Agent Push Events</b> to 1 and <b>Agent Push URL</b>
            to a path on the VICIdial web server that a reverse proxy forwards to this exporter's <code>/event</code>, e.g.</p>
            <pre>\(escape(pushURL))</pre>
            <p>Keep <code>message</code> last: an <code>&amp;</code> or <code>?</code> in a message swallows the fields after it.
            With Apache: <code>ProxyPass \(proxyPath) http://\(proxyTarget)/event</code> (contrib/apache/vicidial-exporter.conf).
            The agent screen can only post to its own web server; to reach another host use VICIdial's
            <code>extras/get2post.php</code> relay. Events are accepted as GET query, form POST or JSON POST.</p>
            </body>
            </html>

            """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences("&", "&amp;").replacingOccurrences("<", "&lt;")
            .replacingOccurrences(">", "&gt;").replacingOccurrences("\"", "&quot;")
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
