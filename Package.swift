// swift-tools-version: 6.0
import PackageDescription

/// Reservoir: pure modules at the bottom (Core, Placement, Scheduling, Forecasting),
/// adapters in the middle (Store, Engine, Slurm), shells at the top (Services, HTTP, CLI), and the
/// composition root (Composition) that builds the running system from the configuration.
/// Arrows only point down; see docs/ARCHITECTURE.md.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Reservoir",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "reservoir", targets: ["reservoir"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
    ],
    targets: [
        // MARK: Pure modules (no I/O, no clocks, no globals)
        .target(name: "ReservoirCore", swiftSettings: swiftSettings),
        .target(name: "ReservoirPlacement", dependencies: ["ReservoirCore"], swiftSettings: swiftSettings),
        .target(
            name: "ReservoirScheduling",
            dependencies: ["ReservoirCore", "ReservoirPlacement", .product(name: "Collections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        .target(name: "ReservoirAgent", dependencies: ["ReservoirCore"], swiftSettings: swiftSettings),
        .target(
            name: "ReservoirForecasting",
            dependencies: ["ReservoirCore", .product(name: "Numerics", package: "swift-numerics")],
            // Optimised in debug builds too: a capacity plan fits thousands of ARIMA/ETS models, which at
            // -Onone takes minutes (past the CLI's 30 s timeout). -O keeps IEEE arithmetic (no fast-math),
            // so the numbers are identical; EnsembleGoldenTests pins them. See docs/BENCHMARKS.md.
            swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),

        // MARK: Adapters
        .target(
            name: "ReservoirStore",
            dependencies: ["ReservoirCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(name: "ReservoirEngine", dependencies: ["ReservoirCore"], swiftSettings: swiftSettings),
        .target(
            name: "ReservoirSlurm",
            dependencies: [
                "ReservoirCore", "ReservoirEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Application and shells
        .target(
            name: "ReservoirServices",
            dependencies: [
                "ReservoirCore", "ReservoirPlacement", "ReservoirScheduling", "ReservoirForecasting",
                "ReservoirStore", "ReservoirEngine",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ReservoirHTTP",
            dependencies: [
                "ReservoirCore", "ReservoirScheduling", "ReservoirServices", "ReservoirConsole",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ReservoirConsole",
            dependencies: [
                "ReservoirCore", "ReservoirServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ReservoirComposition",
            dependencies: [
                "ReservoirCore", "ReservoirPlacement", "ReservoirScheduling", "ReservoirForecasting",
                "ReservoirStore", "ReservoirEngine", "ReservoirSlurm", "ReservoirServices", "ReservoirHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ReservoirCLI",
            dependencies: [
                "ReservoirCore", "ReservoirAgent", "ReservoirPlacement", "ReservoirScheduling", "ReservoirForecasting",
                "ReservoirServices", "ReservoirHTTP", "ReservoirSlurm", "ReservoirComposition", "ReservoirStore", "ReservoirEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "reservoir", dependencies: ["ReservoirCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: swiftSettings),
        .target(
            name: "ReservoirTestSupport",
            dependencies: ["ReservoirCore", "ReservoirStore", "ReservoirEngine"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(name: "ReservoirCoreTests", dependencies: ["ReservoirCore", "ReservoirTestSupport"]),
        .testTarget(name: "ReservoirPlacementTests", dependencies: ["ReservoirPlacement", "ReservoirTestSupport"]),
        .testTarget(name: "ReservoirSchedulingTests", dependencies: ["ReservoirScheduling", "ReservoirTestSupport"]),
        .testTarget(name: "ReservoirAgentTests", dependencies: ["ReservoirAgent", "ReservoirTestSupport"]),
        .testTarget(name: "ReservoirForecastingTests", dependencies: ["ReservoirForecasting", "ReservoirTestSupport"]),
        .testTarget(name: "ReservoirStoreTests", dependencies: ["ReservoirStore", "ReservoirTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ReservoirEngineTests", dependencies: ["ReservoirEngine", "ReservoirTestSupport"]),
        .testTarget(name: "ReservoirSlurmTests", dependencies: ["ReservoirSlurm", "ReservoirEngine", "ReservoirCore"]),
        .testTarget(name: "ReservoirServicesTests", dependencies: ["ReservoirServices", "ReservoirTestSupport"]),
        .testTarget(
            name: "ReservoirCompositionTests",
            dependencies: ["ReservoirComposition", "ReservoirCore", "ReservoirServices", "ReservoirStore", "ReservoirSlurm", "ReservoirTestSupport"]
        ),
        .testTarget(
            name: "ReservoirConsoleTests",
            dependencies: [
                "ReservoirConsole", "ReservoirHTTP", "ReservoirComposition", "ReservoirServices", "ReservoirStore", "ReservoirTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "ReservoirHTTPTests",
            dependencies: [
                "ReservoirHTTP", "ReservoirCLI", "ReservoirComposition", "ReservoirSlurm", "ReservoirTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
