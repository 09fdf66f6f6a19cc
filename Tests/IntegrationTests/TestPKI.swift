import Foundation
import TestSupport

/// A throw-away PKI made by openssl in a temporary folder: two CAs, a server certificate for
/// 127.0.0.1 from each, a client certificate from each (SAN `prometheus.example`), and from the
/// first CA a certificate for the same name that may only serve (`ca-serveronly`).
/// Removed with the object.
final class TestPKI {
    let folder: URL

    init() throws {
        folder = ExternalTool.temporaryFile("pki")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for ca in ["ca", "ca2"] {
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                         "-keyout", "\(ca).key", "-out", "\(ca).crt", "-days", "2", "-subj", "/CN=vicidial-exporter test \(ca)"])
            try issue("\(ca)-server", by: ca, subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1\n")
            try issue("\(ca)-client", by: ca, subject: "/CN=prometheus",
                      extensions: "subjectAltName=DNS:prometheus.example\nextendedKeyUsage=clientAuth\n")
        }
        try issue("ca-serveronly", by: "ca", subject: "/CN=prometheus",
                  extensions: "subjectAltName=DNS:prometheus.example\nextendedKeyUsage=serverAuth\n")
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes `text` to `name` in the folder, through a rename so a reader never sees half of it.
    func write(_ name: String, _ text: String) throws {
        let temporary = folder.appendingPathComponent(".\(name).tmp")
        try text.write(to: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary.path, path(name)) == 0 else { throw SetupError("rename to \(path(name)) failed: errno \(errno)") }
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    private func issue(_ name: String, by ca: String, subject: String, extensions: String) throws {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
        try extensions.write(to: folder.appendingPathComponent("\(name).ext"), atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).crt", "-CAkey", "\(ca).key", "-CAcreateserial",
                     "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try ExternalTool.run(try ExternalTool.find("openssl", install: "apt-get install openssl"), arguments, in: folder)
        guard result.status == 0 else { throw SetupError("openssl \(arguments.joined(separator: " ")): \(result.errors)") }
    }
}

/// curl against the exporter: the status code (0 when no HTTP answer came), the body, and
/// curl's own exit status.
struct CurlResult {
    var exitStatus: Int32
    var status: Int
    var body: String
}

func curl(_ arguments: [String]) throws -> CurlResult {
    let marker = "\n#status="
    let result = try ExternalTool.run(
        try ExternalTool.find("curl", install: "apt-get install curl"),
        ["--silent", "--max-time", "10", "--write-out", marker + "%{http_code}"] + arguments)
    let parts = result.output.components(separatedBy: marker)
    return CurlResult(exitStatus: result.status, status: Int(parts.last ?? "") ?? 0, body: parts.dropLast().joined(separator: marker))
}

/// `htpasswd -nbBC 10 user password`'s hash: Apache's bcrypt, independent of the exporter's.
func bcryptHash(user: String, password: String) throws -> String {
    let result = try ExternalTool.run(
        try ExternalTool.find("htpasswd", install: "apt-get install apache2-utils"), ["-nbBC", "10", user, password])
    guard result.status == 0, let line = result.output.split(separator: "\n").first, let colon = line.firstIndex(of: ":") else {
        throw SetupError("htpasswd: \(result.combined)")
    }
    return String(line[line.index(after: colon)...])
}
