/// Defaults shared by the command line and the documentation.
public enum ExporterDefaults {
    /// In the exporter range 9100-9999 and not in Prometheus' default port allocations list
    /// (see docs/default-port.md).
    public static let port: UInt16 = 9957
}
