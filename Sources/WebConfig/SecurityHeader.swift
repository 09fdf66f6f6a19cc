/// The response headers `http_server_config.headers` may set, and the values some of them are
/// limited to: exporter-toolkit's list, so a file that works there works here.
enum SecurityHeader {
    /// Header name → allowed values (nil: any value).
    static let allowed: [String: [String]?] = [
        "Strict-Transport-Security": nil,
        "X-Content-Type-Options": ["nosniff"],
        "X-Frame-Options": ["deny", "sameorigin"],
        "X-XSS-Protection": nil,
        "Content-Security-Policy": nil,
    ]
}
