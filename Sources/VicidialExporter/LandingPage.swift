/// The page at `/`: what this is, where the metrics are, how to point VICIdial at it.
enum LandingPage {
    static func html(telemetryPath: String) -> String {
        let path = escape(telemetryPath)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>VICIdial Exporter</title></head>
            <body>
            <h1>VICIdial Exporter</h1>
            <p>Receives VICIdial agent push events and exposes per-agent time accounting for Prometheus.
            Version \(BuildInfo.version).</p>
            <ul>
            <li><a href="\(path)">\(path)</a>: metrics for Prometheus</li>
            <li><a href="/-/healthy">/-/healthy</a> and <a href="/-/ready">/-/ready</a>: health checks</li>
            </ul>
            <h2>Agent Push URL</h2>
            <p>In VICIdial, Admin &rarr; System Settings: set <b>Agent Push Events</b> to 1 and <b>Agent Push URL</b>
            to a path on the VICIdial web server that a reverse proxy forwards to this exporter's <code>/event</code>, e.g.</p>
            <pre>/agc/events?user=--A--user--B--&amp;event=--A--event--B--&amp;message=--A--message--B--&amp;lead_id=--A--lead_id--B--&amp;counter=--A--counter--B--&amp;epoch=--A--epoch--B--&amp;agent_log_id=--A--agent_log_id--B--</pre>
            <p>with Apache: <code>ProxyPass /agc/events http://127.0.0.1:PORT/event</code>.
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
