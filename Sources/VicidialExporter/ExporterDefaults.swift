/// Defaults shared by the command line and the documentation.
public enum ExporterDefaults {
    /// In the exporter range 9100-9999 and not in Prometheus' default port allocations list
    /// (see docs/default-port.md).
    public static let port: UInt16 = 9957
    /// `--storage.fsync`: sync the journal in the background within a second of each write. A
    /// crash of the exporter loses nothing acknowledged; a power cut at most the last second.
    /// `always` costs a sync per group of requests (see docs/reliability.md for the figures).
    public static let fsync = "1s"
    /// A snapshot is also written once this much journal has piled up since the last one, so
    /// a busy center's restart never replays more than about this much.
    public static let snapshotAfterJournalBytes: UInt64 = 64 << 20
    /// At SIGTERM, requests being handled get this long to finish and be answered.
    public static let shutdownGrace = 5.0
}
