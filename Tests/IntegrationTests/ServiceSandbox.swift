import Foundation
import TestSupport

/// Tests/Fixtures/service-sandbox.c, built for this machine with the system calls of this
/// machine's systemd `@system-service` set, and the command that runs a program in it as
/// contrib/systemd/vicidial-exporter.service would: when the tests run as root, first turned
/// into the unprivileged user nobody with no capabilities left (setpriv), as `User=`,
/// `CapabilityBoundingSet=` and `AmbientCapabilities=` would. Removed with the object.
final class ServiceSandbox {
    let helper: URL
    private let folder: URL

    init() throws {
        folder = ExternalTool.temporaryFile("service-sandbox")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        helper = folder.appendingPathComponent("service-sandbox")
        let listing = try ExternalTool.run(ExternalTool.find("systemd-analyze", install: "apt-get install systemd"), ["syscall-filter"])
        guard listing.status == 0 else { throw SetupError("systemd-analyze syscall-filter: \(listing.combined)") }
        let calls = try Self.calls(of: "@system-service", in: listing.output)
        let header = calls.map { "#ifdef __NR_\($0)\n    __NR_\($0),\n#endif\n" }.joined()
        try header.write(to: folder.appendingPathComponent("allowed-syscalls.h"), atomically: true, encoding: .utf8)
        let built = try ExternalTool.run(
            ExternalTool.find("gcc", install: "apt-get install gcc"),
            ["-O2", "-Wall", "-Wextra", "-Werror", "-I", folder.path, "-o", helper.path,
             packageRoot.appendingPathComponent("Tests/Fixtures/service-sandbox.c").path])
        guard built.status == 0 else { throw SetupError("building service-sandbox: \(built.combined)") }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The command a program's path and arguments are appended to.
    func launcher() throws -> [String] {
        guard Self.runningAsRoot else { return [helper.path] }
        let setpriv = try ExternalTool.find("setpriv", install: "apt-get install util-linux")
        let nobody = try Self.nobody()
        return [setpriv.path, "--reuid=\(nobody.uid)", "--regid=\(nobody.gid)", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                "--", helper.path]
    }

    /// Makes `paths` readable by the service as contrib/README.md has the admin do it (owner root,
    /// the service's group, mode 0640); when the tests do not run as root, the files are already
    /// the service's own.
    func letTheServiceRead(_ paths: [String]) throws {
        guard Self.runningAsRoot else { return }
        let group = try Self.nobody().gid
        for path in paths where chown(path, 0, group) != 0 || chmod(path, 0o640) != 0 {
            throw SetupError("cannot hand \(path) to the service's group: errno \(errno)")
        }
    }

    static var runningAsRoot: Bool { geteuid() == 0 }

    /// The user the service runs as when the tests are root.
    static func nobody() throws -> (uid: uid_t, gid: gid_t) {
        guard let entry = getpwnam("nobody") else { throw SetupError("no user nobody to run the service as") }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// The system calls in `set`, its nested sets expanded, from `systemd-analyze syscall-filter`'s
    /// listing: a `@set` line, then indented names, `@sets` and `# comments`, then a blank line.
    static func calls(of set: String, in listing: String) throws -> [String] {
        var sets: [String: [String]] = [:]
        var current: String?
        for line in listing.split(separator: "\n", omittingEmptySubsequences: false) {
            let entry = line.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty {
                current = nil
            } else if !line.hasPrefix(" ") {
                current = entry.hasPrefix("@") ? entry : nil
                if let current { sets[current] = [] }
            } else if let set = current, !entry.hasPrefix("#") {
                sets[set]?.append(entry)
            }
        }
        func expand(_ name: String) throws -> Set<String> {
            guard let entries = sets[name] else { throw SetupError("systemd-analyze syscall-filter lists no \(name)") }
            return try entries.reduce(into: Set<String>()) { calls, entry in
                if entry.hasPrefix("@") { calls.formUnion(try expand(entry)) } else { calls.insert(entry) }
            }
        }
        return try expand(set).sorted()
    }
}
