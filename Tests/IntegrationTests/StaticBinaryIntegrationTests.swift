import Foundation
import TestSupport
import Testing

/// The release build (`swift build -c release --static-swift-stdlib`, as .ci/test and the README
/// build it) is one file a web server without Swift can run: copied out of the build tree and
/// started with an empty environment (no toolchain on PATH, no LD_LIBRARY_PATH), it needs
/// only the system's libraries, and says which build it is.
@Suite(.serialized) struct StaticBinaryIntegrationTests {
    /// The libraries a Debian or Ubuntu server installs from packages: glibc's and GCC's
    /// runtime, and the packages the README names (libmicrohttpd12, libgnutls30 and what it
    /// brings, libmariadb3, libyaml-0-2, zlib1g, libcrypt1).
    static let systemDirectories = ["/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/"]

    /// The binary, copied to a directory of its own, as an admin would install it.
    static func installedCopy() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent("vicidial-exporter")
        try FileManager.default.copyItem(at: releaseBinary("vicidial-exporter", environment: "VICIDIAL_EXPORTER_BIN"), to: copy)
        return copy
    }

    static func git(_ arguments: [String]) throws -> ExternalTool.Result {
        try ExternalTool.run(try ExternalTool.find("git", install: "apt-get install git"), ["-C", packageRoot.path] + arguments)
    }

    @Test func linksOnlySystemLibraries() throws {
        let binary = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(at: binary.deletingLastPathComponent()) }
        let ldd = try ExternalTool.run(URL(fileURLWithPath: "/usr/bin/env"), ["-i", "/usr/bin/ldd", binary.path])
        #expect(ldd.status == 0, "\(ldd.combined)")
        let lines = ldd.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(!line.contains("not found"), "unresolved: \(line)")
            #expect(!line.contains("libswift") && !line.contains("libFoundation") && !line.contains("libdispatch"), "a Swift runtime library: \(line)")
            // "name => /path (address)", or the vDSO and the loader, which have no "=>".
            guard let arrow = line.range(of: " => ") else {
                #expect(line.hasPrefix("linux-vdso.so") || line.hasPrefix("/lib64/ld-linux") || line.hasPrefix("/lib/ld-linux"), "\(line)")
                continue
            }
            let path = line[arrow.upperBound...].prefix { $0 != " " }
            #expect(Self.systemDirectories.contains { path.hasPrefix($0) }, "outside the system's library directories: \(line)")
        }
        for library in ["libmicrohttpd.so", "libmariadb.so", "libc.so"] {
            #expect(lines.contains { $0.hasPrefix(library) }, "\(library) missing from \(lines)")
        }
    }

    @Test func runsWithAnEmptyEnvironmentAndSaysWhichBuildItIs() throws {
        let binary = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(at: binary.deletingLastPathComponent()) }
        var revision = try Self.git(["rev-parse", "--short=12", "HEAD"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        if try Self.git(["diff", "--quiet", "HEAD"]).status != 0 { revision += "-dirty" }
        let branch = try Self.git(["rev-parse", "--abbrev-ref", "HEAD"]).output.trimmingCharacters(in: .whitespacesAndNewlines)

        let version = try ExternalTool.run(URL(fileURLWithPath: "/usr/bin/env"), ["-i", binary.path, "--version"])
        let lines = version.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(version.status == 0)
        #expect(lines.count == 4)
        #expect(lines.first == "vicidial-exporter, version 0.1.0 (branch: \(branch), revision: \(revision))")
        #expect(lines.dropFirst().first?.wholeMatch(of: /\ \ build date:\ {4}\d{4}-\d{2}-\d{2}/) != nil, "\(lines)")
        #expect(lines.dropFirst(2).first?.wholeMatch(of: /\ \ swift version:\ 6\.\d+/) != nil, "\(lines)")

        // Serving, journaling and scraping, with nothing from the environment.
        let storage = StorageDirectoryForTests()
        let server = try ManagedProcess(
            name: "static-exporter", executable: binary,
            arguments: ["--web.listen-address", "127.0.0.1:0", "--storage.path", storage.path], environment: [:])
        let port = try server.waitForLog(seconds: 20, ExporterProcess.listeningPort)
        try server.waitForLog(seconds: 20) { $0.contains("msg=ready") ? true : nil }
        #expect(try loopbackGet(port, "/event?user=1001&event=logged_in&counter=0&epoch=&message=").status == 200)
        let page = try loopbackGet(port, "/metrics").bodyText
        let swiftVersion = lines.dropFirst(2).first.map { String($0.dropFirst("  swift version: ".count)) } ?? ""
        #expect(page.contains(
            "\nvicidial_exporter_build_info{version=\"0.1.0\",revision=\"\(revision)\",branch=\"\(branch)\",swift_version=\"\(swiftVersion)\"} 1\n"))
        #expect(page.contains("\nvicidial_agent_logins_total{user=\"1001\"} 1\n"))
        #expect(try server.terminate() == 0)
        #expect(server.log.contains("msg=\"stopped: journal synced and snapshot written\""))
    }
}
