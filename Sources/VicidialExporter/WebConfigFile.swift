import HTTPServer
import WebConfig

#if canImport(Glibc)
import Glibc
#endif

/// `--web.config.file` read whole: the parsed configuration and the TLS settings made from the
/// certificate, key and CA files it names, all checked. Two loads compare equal when nothing a
/// reload would change differs, so the reloader can tell an edit from a re-read.
public struct WebConfigFile: Sendable, Equatable {
    public let path: String
    public let configuration: WebConfiguration
    public let tls: TLSSettings?

    /// A config file, or a file it names, larger than this is refused: these are a few KB.
    static let maxFileBytes = 1 << 20

    /// Reads and checks the file; the error names the file and what is wrong with it.
    public static func load(path: String) throws(WebConfigFileError) -> WebConfigFile {
        let text: String
        do {
            text = try readText(path)
        } catch {
            throw WebConfigFileError(path: path, problem: "cannot read it: \(error.reason)")
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let configuration: WebConfiguration
        do {
            configuration = try WebConfiguration(yaml: text, directory: directory.isEmpty ? "/" : directory)
        } catch {
            throw WebConfigFileError(path: path, problem: error.description)
        }
        let tls = try configuration.tls.map { (tls) throws(WebConfigFileError) -> TLSSettings in
            let settings = TLSSettings(
                certificatePEM: try pem(tls.certificate, key: "cert", in: path),
                keyPEM: try pem(tls.key, key: "key", in: path),
                clientCAsPEM: try tls.clientCAs.map { (source) throws(WebConfigFileError) in try pem(source, key: "client_ca", in: path) },
                clientCertificates: clientCertificates(tls.clientAuth),
                allowedClientNames: tls.clientAllowedSANs,
                priorities: priorities(from: tls.minVersion, to: tls.maxVersion))
            do throws(HTTPServerError) {
                try settings.check()
            } catch {
                guard case .invalidTLS(let problem) = error else { throw WebConfigFileError(path: path, problem: "\(error)") }
                throw WebConfigFileError(path: path, problem: "tls_server_config: \(problem)")
            }
            return settings
        }
        return WebConfigFile(path: path, configuration: configuration, tls: tls)
    }

    /// The GnuTLS priority string allowing exactly `minimum` through `maximum`.
    static func priorities(from minimum: TLSVersion, to maximum: TLSVersion) -> String {
        let versions = TLSVersion.allCases.filter { $0 >= minimum && $0 <= maximum }
        return (["NORMAL", "-VERS-ALL"] + versions.map { "+" + $0.gnutlsName }).joined(separator: ":")
    }

    private static func clientCertificates(_ type: ClientAuthType) -> TLSSettings.ClientCertificates {
        switch type {
        case .noClientCert: .ignore
        case .requestClientCert: .request
        case .requireAnyClientCert: .requireAny
        case .verifyClientCertIfGiven: .verifyIfGiven
        case .requireAndVerifyClientCert: .requireAndVerify
        }
    }

    private static func pem(_ source: TLSServerConfiguration.PEMSource, key: String, in path: String) throws(WebConfigFileError) -> String {
        switch source {
        case .inline(let text):
            return text
        case .file(let file):
            do {
                return try readText(file)
            } catch {
                throw WebConfigFileError(path: path, problem: "tls_server_config: cannot read \(key)_file \(quoted(file, limit: 256)): \(error.reason)")
            }
        }
    }

    private struct ReadFailure: Error { let reason: String }

    private static func readText(_ file: String) throws(ReadFailure) -> String {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(file, maxBytes: maxFileBytes)
        } catch {
            switch error {
            case .system(let reason): throw ReadFailure(reason: reason)
            case .tooLarge: throw ReadFailure(reason: "larger than \(maxFileBytes) bytes")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ReadFailure(reason: "not UTF-8 text") }
        return text
    }
}

/// Why `--web.config.file` cannot be used: `problem` names the key or file at fault.
public struct WebConfigFileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String

    public var description: String { "web config \(path): \(problem)" }
}
