import BuildStamp

/// What `vicidial_exporter_build_info` and `--version` report, as Prometheus's own exporters do:
/// the version of the source, the git revision and branch it was built from and the UTC day of
/// the build (stamped by Plugins/BuildStampPlugin; `unknown` outside a git checkout).
public enum BuildInfo {
    public static let version = "0.1.0"
    public static let revision = BuildStamp.revision
    public static let branch = BuildStamp.branch
    public static let buildDate = BuildStamp.buildDate

    public static var swiftVersion: String {
        #if compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// The labels of `vicidial_exporter_build_info`.
    public static var labels: [(String, String)] {
        [("version", version), ("revision", revision), ("branch", branch), ("swift_version", swiftVersion)]
    }

    /// `--version`, laid out like `node_exporter --version`.
    public static var versionText: String {
        """
        vicidial-exporter, version \(version) (branch: \(branch), revision: \(revision))
          build date:    \(buildDate)
          swift version: \(swiftVersion)
        """
    }
}
