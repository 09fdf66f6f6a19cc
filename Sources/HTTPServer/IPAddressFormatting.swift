#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The IP address in a socket address as text; an IPv4-mapped IPv6 address
/// (a dual-stack listener's IPv4 client) comes out as plain IPv4.
func formatIPAddress(_ address: UnsafePointer<sockaddr>) -> String? {
    switch Int32(address.pointee.sa_family) {
    case AF_INET:
        return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { formatIPv4($0.pointee.sin_addr) }
    case AF_INET6:
        return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
            let v6 = $0.pointee.sin6_addr
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            let isV4Mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return isV4Mapped ? bytes[12...].map(String.init).joined(separator: ".") : formatIPv6(v6)
        }
    default:
        return nil
    }
}

func formatIPv4(_ address: in_addr) -> String {
    withUnsafeBytes(of: address) { format(family: AF_INET, $0, capacity: INET_ADDRSTRLEN) }
}

func formatIPv6(_ address: in6_addr) -> String {
    withUnsafeBytes(of: address) { format(family: AF_INET6, $0, capacity: INET6_ADDRSTRLEN) }
}

private func format(family: Int32, _ address: UnsafeRawBufferPointer, capacity: Int32) -> String {
    var text = [CChar](repeating: 0, count: Int(capacity))
    // Cannot fail: the family is supported and the buffer has the maximal size.
    _ = inet_ntop(family, address.baseAddress, &text, socklen_t(capacity))
    return String(nulTerminated: text)
}
