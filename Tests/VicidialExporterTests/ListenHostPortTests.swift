import Testing
@testable import VicidialExporter

/// `--web.listen-address` values.
struct ListenHostPortTests {
    @Test(arguments: [
        (":9848", nil, 9848), ("127.0.0.1:9848", "127.0.0.1", 9848), ("[::1]:9848", "::1", 9848),
        ("localhost:9848", "127.0.0.1", 9848), ("0.0.0.0:1", "0.0.0.0", 1), ("[::]:9848", "::", 9848),
        ("[fe80::1]:65535", "fe80::1", 65535), (":0", nil, 0),
    ] as [(String, String?, UInt16)])
    func valid(text: String, host: String?, port: UInt16) {
        let flag = ListenHostPort(text)
        #expect(flag?.host == host)
        #expect(flag?.port == port)
    }

    @Test(arguments: ["::1:9848", "::1", "host", "9848", ":99999", ":65536", ":", "", "127.0.0.1:", ":-1", ":http", "[::1]", "[::1:9848"])
    func invalid(text: String) {
        #expect(ListenHostPort(text) == nil)
    }

    @Test(arguments: [
        (":9957", ":9957", "127.0.0.1:9957"), ("127.0.0.1:80", "127.0.0.1:80", "127.0.0.1:80"),
        ("localhost:9957", "127.0.0.1:9957", "127.0.0.1:9957"), ("0.0.0.0:9957", "0.0.0.0:9957", "127.0.0.1:9957"),
        ("[::]:9957", "[::]:9957", "[::1]:9957"), ("[::1]:9957", "[::1]:9957", "[::1]:9957"),
        ("192.0.2.7:9957", "192.0.2.7:9957", "192.0.2.7:9957"),
    ])
    func shownAs(text: String, description: String, authority: String) throws {
        let address = try #require(ListenHostPort(text))
        #expect(address.description == description)
        #expect(address.localURLAuthority == authority)
        #expect(ListenHostPort(address.description) == address)
    }
}
