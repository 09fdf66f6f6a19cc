import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real Apache httpd (Debian `apache2`) on 127.0.0.1 and a free port, configured the way an
/// admin would: the repository's contrib/apache/vicidial-exporter.conf included as it is, with
/// only its exporter address rewritten to the exporter under test. Single process (`-X`), in a
/// temporary directory, stopped and removed with the object.
public final class ApacheServer {
    public let port: UInt16
    public let directory: URL
    private var process: ManagedProcess?

    /// The snippet's exporter address, the one part of it the tests change.
    public static let snippetTarget = "http://127.0.0.1:9957/event"
    public static let snippet = packageRoot.appendingPathComponent("contrib/apache/vicidial-exporter.conf")

    public init(proxyingTo exporterPort: UInt16) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vicidial-apache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        let snippet = try String(contentsOf: Self.snippet, encoding: .utf8)
        guard snippet.contains(Self.snippetTarget) else { throw SetupError("contrib's Apache snippet no longer names \(Self.snippetTarget)") }
        let included = directory.appendingPathComponent("vicidial-exporter.conf")
        try snippet.replacingOccurrences(of: Self.snippetTarget, with: "http://127.0.0.1:\(exporterPort)/event")
            .write(to: included, atomically: true, encoding: .utf8)
        let modules = "/usr/lib/apache2/modules"
        // Apache refuses to serve as root: as root (CI), it drops to Debian's nobody:nogroup
        // after binding; as anyone else it stays who it is.
        let account = getuid() == 0 ? "User nobody\nGroup nogroup\n" : ""
        let configuration = """
            ServerRoot "\(directory.path)"
            DefaultRuntimeDir "\(directory.path)"
            PidFile "\(directory.path)/httpd.pid"
            ErrorLog "\(directory.path)/error.log"
            LogLevel warn
            \(account)Listen 127.0.0.1:\(port)
            ServerName 127.0.0.1
            LoadModule mpm_event_module \(modules)/mod_mpm_event.so
            LoadModule authz_core_module \(modules)/mod_authz_core.so
            LoadModule proxy_module \(modules)/mod_proxy.so
            LoadModule proxy_http_module \(modules)/mod_proxy_http.so
            Include "\(included.path)"

            """
        let file = directory.appendingPathComponent("httpd.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let httpd = try Self.executable()
        let syntax = try ExternalTool.run(httpd, ["-t", "-f", file.path])
        guard syntax.status == 0 else { throw SetupError("apache2 -t refused the configuration: \(syntax.combined)") }
        let server = try ManagedProcess(name: "apache2", executable: httpd, arguments: ["-X", "-f", file.path])
        process = server
        try waitUntilListening(seconds: 20)
    }

    deinit {
        process = nil  // stops it
        try? FileManager.default.removeItem(at: directory)
    }

    /// What Apache logged (warnings and errors).
    public var errorLog: String {
        (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
    }

    private func waitUntilListening(seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(probe)
            if connected == 0 { return }
            usleep(50_000)
        }
        throw SetupError("apache2 did not listen on 127.0.0.1:\(port) within \(seconds) s: \(errorLog)")
    }

    /// Debian puts httpd in /usr/sbin as `apache2`.
    private static func executable() throws -> URL {
        let path = "/usr/sbin/apache2"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw SetupError("\(path) is missing; install it: apt-get install apache2 (bash .ci/test does)")
        }
        return URL(fileURLWithPath: path)
    }
}
