// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vicidial-exporter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vicidial-exporter", targets: ["vicidial-exporter"]),
        .executable(name: "vicidial-agent-sim", targets: ["vicidial-agent-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // libmicrohttpd, found through pkg-config; the C shim calls its variadic functions.
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"]), .brew(["libmicrohttpd"])]
        ),
        // GnuTLS comes with libmicrohttpd-dev; the shim reads client certificates through it.
        .target(name: "CMicroHTTPDShim", dependencies: ["CMicroHTTPD"], linkerSettings: [.linkedLibrary("gnutls")]),
        // zlib (apt zlib1g-dev), for gzip-compressed scrapes.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // libxcrypt's crypt_r (libcrypt-dev, which comes with the C toolchain), for bcrypt.
        .systemLibrary(name: "CCrypt", providers: [.apt(["libcrypt-dev"])]),
        // glibc's <malloc.h>, for mallopt (ScrapeMemory).
        .systemLibrary(name: "CMalloc"),
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "CMicroHTTPDShim"]),

        // Pure core: no I/O, no clocks of their own.
        .target(name: "AgentEvents"),
        .target(name: "AgentLedger", dependencies: ["AgentEvents", "Exposition"]),
        .target(name: "Exposition"),

        // libyaml (apt libyaml-dev), whose events the web config is read from.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        // exporter-toolkit's web config (--web.config.file): YAML in, checked values out; reads no file.
        .target(name: "WebConfig", dependencies: ["CYAML"]),

        // MariaDB Connector/C (apt libmariadb-dev), to read VICIdial's own database.
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"]), .brew(["mariadb-connector-c"])]),
        // Enrichment: VICIdial's users, live agents and agent log, polled read-only on a thread of its own.
        .target(name: "VicidialDatabase", dependencies: ["AgentLedger", "CMariaDB"]),

        // The journal and snapshots: checksummed records on disk behind a file-system seam.
        .target(name: "Storage", dependencies: ["AgentEvents", "AgentLedger"]),

        // A blocking HTTP/1.1 client over raw sockets: exact bytes, keep-alive. Tests and the simulator use it.
        .target(name: "HTTPClient"),

        // Prometheus-style duration flags (`500ms`, `1h30m`, `7d`), for both command lines.
        .target(name: "PrometheusDuration", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The exporter's default port, which the simulator's --target shares without linking the exporter.
        .target(name: "DefaultPort"),

        // The git revision, branch and day of the build, generated before each build by the plugin.
        .plugin(name: "BuildStampPlugin", capability: .buildTool()),
        .target(name: "BuildStamp", plugins: ["BuildStampPlugin"]),

        // Edges.
        .target(name: "ProcessMetrics"),
        .target(
            name: "VicidialExporter",
            dependencies: [
                "AgentEvents", "AgentLedger", "BuildStamp", "CCrypt", "CMalloc", "CZlib", "Exposition", "HTTPServer", "ProcessMetrics",
                "Storage", "VicidialDatabase", "WebConfig", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "vicidial-exporter",
            dependencies: [
                "VicidialExporter", "AgentEvents", "AgentLedger", "DefaultPort", "HTTPServer", "PrometheusDuration", "Storage",
                "VicidialDatabase", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The contact-center simulator: a seeded model of agents (pure) and the executable that pushes it over HTTP.
        .target(name: "AgentSimulation"),
        .executableTarget(
            name: "vicidial-agent-sim",
            dependencies: [
                "AgentLedger", "AgentSimulation", "DefaultPort", "HTTPClient", "PrometheusDuration", "VicidialDatabase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks/Micro: the hot paths timed in process (`swift run -c release vicidial-microbench`).
        .executableTarget(
            name: "vicidial-microbench",
            dependencies: ["AgentEvents", "AgentLedger", "HTTPServer", "VicidialExporter"],
            path: "Benchmarks/Micro"
        ),

        .testTarget(name: "AgentEventsTests", dependencies: ["AgentEvents"]),
        .testTarget(name: "WebConfigTests", dependencies: ["WebConfig"]),
        .testTarget(name: "AgentLedgerTests", dependencies: ["AgentLedger", "AgentEvents"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "AgentLedger", "AgentEvents", "AgentSimulation", "TestSupport"]),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "TestSupport"]),
        .testTarget(name: "ProcessMetricsTests", dependencies: ["ProcessMetrics"]),
        .testTarget(name: "VicidialDatabaseTests", dependencies: ["VicidialDatabase"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTPClient"]),
        .testTarget(
            name: "VicidialExporterTests",
            dependencies: [
                "VicidialExporter", "AgentEvents", "AgentLedger", "HTTPServer", "ProcessMetrics", "PrometheusDuration",
                "Storage", "TestSupport", "WebConfig",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Child processes for the tests that run real binaries (the exporter, Prometheus, Alertmanager).
        .target(name: "TestSupport", dependencies: ["CZlib", "HTTPClient", "Storage"], path: "Tests/TestSupport"),
        .testTarget(name: "IntegrationTests", dependencies: ["AgentEvents", "AgentSimulation", "HTTPClient", "Storage", "TestSupport"]),
        .testTarget(name: "AgentSimulationTests", dependencies: ["AgentSimulation"]),
        // Exporter + simulator + Prometheus + Alertmanager on 127.0.0.1, for Grafana/'s queries and alerts.
        .testTarget(name: "LiveStackTests", dependencies: ["HTTPClient", "HTTPServer", "TestSupport"]),
        // Grafana/: dashboards checked against the exposed metric names, rules through promtool.
        .testTarget(
            name: "GrafanaTests",
            dependencies: [
                "VicidialExporter", "AgentLedger", "HTTPServer", "ProcessMetrics", "Storage", "TestSupport", "VicidialDatabase",
                .product(name: "Logging", package: "swift-log"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
