import Exposition
import HTTPServer

/// `vicidial_exporter_web_*`: refused credentials and the state of `--web.config.file`.
extension ExpositionWriter {
    mutating func writeWebMetrics(_ status: WebAccess.Status, http: HTTPServerStatistics.Counts) {
        family(
            "vicidial_exporter_web_auth_failures", type: .counter,
            help: "Requests refused by --web.config.file: basic auth missing, wrong, or busy (429 while another "
                + "password is checked), and TLS clients refused for their certificate (client_certificate).")
        for (reason, count) in status.failures.sorted(by: { $0.key < $1.key }) {
            counter(["reason": reason], Double(count))
        }
        counter(["reason": "client_certificate"], Double(http.clientCertificatesRefused))

        guard status.configured else { return }
        family(
            "vicidial_exporter_web_config_last_reload_successful", type: .gauge,
            help: "1 when the last read of --web.config.file succeeded; 0 when an edit was refused and the last good config is kept.")
        gauge([:], status.lastReloadSuccessful ? 1 : 0)
        family(
            "vicidial_exporter_web_config_last_reload_success_timestamp_seconds", type: .gauge,
            help: "Unix time the web config in force was loaded.")
        gauge([:], status.lastSuccessTimestamp)
    }
}
