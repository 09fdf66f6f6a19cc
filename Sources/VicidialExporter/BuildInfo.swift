/// What `vicidial_exporter_build_info` and `--version` report.
public enum BuildInfo {
    public static let version = "0.1.0"

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
}
