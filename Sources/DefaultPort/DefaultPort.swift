/// vicidial-exporter's default port: in the exporter range 9100-9999 and not in Prometheus'
/// default port allocations list (see docs/default-port.md). A module of its own, so the
/// simulator's `--target` defaults to it without linking the exporter (libmicrohttpd and all).
public let defaultExporterPort: UInt16 = 9957
