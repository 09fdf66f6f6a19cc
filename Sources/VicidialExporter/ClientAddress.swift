/// Who sent a request, for `--ingest.allowed-sources`: the TCP peer, unless the peer is one of
/// `--web.trusted-proxies`, in which case `X-Forwarded-For` is walked from its right end (the
/// hop the trusted proxy added) past every trusted proxy to the first address that is not
/// one: the rightmost untrusted hop. Entries further left were written by the client itself
/// and are never believed. From an untrusted peer the header is ignored.
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: String?, trustedProxies: [AddressRange]) -> String? {
        guard let peer, trustedProxies.containsAddress(peer), let forwardedFor else { return peer }
        var client = peer
        for hop in forwardedFor.split(separator: ",").reversed() {
            let address = String(hop.filter { $0 != " " && $0 != "\t" })
            client = address
            guard trustedProxies.containsAddress(address) else { break }
        }
        return client
    }
}
