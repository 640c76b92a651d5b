import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirHTTP
import ReservoirPlacement
import ReservoirScheduling
import ReservoirServices
import ReservoirSlurm
import ReservoirStore

/// `reservoir serve`: the server with SQLite state, the embedded simulated cluster, and any Slurm
/// clusters the `--config` file names (`engine: slurm`, see docs/SLURM.md).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Reservoir server (HTTP API, scheduler, simulated cluster).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Directory for the SQLite database.") var dataDir = "reservoir-data"
    @Option(help: "A YAML cluster description to import at start (see docs/CONFIG.md).") var config: String?
    @Flag(help: "Seed a demo reservoir (2 regions, 60 nodes, 4 tenants) and a gentle stream of sample jobs.") var demo = false
    @Option(help: "Simulated seconds per real second in the simulated cluster.") var speed: Double = 60
    @Option(help: "Probability that a simulated job fails (failure injection).") var failureRate: Double = 0
    @Option(help: "Placement policy: \(PlacementPolicy.allNames.joined(separator: ", ")) (reservoir: the best measured, see docs/BENCHMARKS.md).")
    var policy = SchedulerConfiguration().placementPolicy
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    func validate() throws {
        guard PlacementPolicy.allNames.contains(policy) else {
            throw ValidationError("unknown --policy \(policy); one of \(PlacementPolicy.allNames.joined(separator: ", "))")
        }
        guard speed > 0 else { throw ValidationError("--speed must be positive") }
        guard (0...1).contains(failureRate) else { throw ValidationError("--failure-rate must be between 0 and 1") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "reservoir")
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: (dataDir as NSString).appendingPathComponent("reservoir.sqlite"))
        let simulator = SimulatedEngine(nodes: try store.inventory().nodes, speed: speed, failureRate: failureRate, clock: { Date().timeIntervalSince1970 })
        let description = try config.map { try ClusterDescription.parse(yaml: try String(contentsOfFile: $0, encoding: .utf8)) }
        let external = try await ServeEngines.make(description, configPath: config ?? "", store: store, logger: logger)
        let engine = EngineRegistry(engines: external.engines, fallback: simulator) { pool in
            (try? store.inventory().pools.first { $0.id == pool })?.cluster
        }
        let reservoir = Reservoir(
            store: store, engine: engine,
            configuration: .init(scheduler: SchedulerConfiguration(placementPolicy: policy)), logger: logger)

        let environment = ProcessInfo.processInfo.environment
        let bootstrapToken = environment["RESERVOIR_BOOTSTRAP_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let firstStart = try store.users(tenant: nil).isEmpty
        // A secret is printed only when it was made on this start; an operator's own token is never echoed.
        let generated = bootstrapToken == nil && firstStart ? "rsv_" + UUID().uuidString.lowercased() : nil
        var login: Login = bootstrapToken == nil ? .existing : .fromEnvironment
        if let token = bootstrapToken ?? generated, try reservoir.access.bootstrap(operatorToken: token), let generated { login = .created(generated) }
        let sign = login
        let admin = Principal(user: User(id: "admin", roles: [.operator_]))
        if let config {
            _ = try reservoir.inventory.importDescription(yaml: try String(contentsOfFile: config, encoding: .utf8), discovered: external.discovered, by: admin)
        }
        let logins = demo ? try reservoir.seedDemo(by: admin) : []

        let host = self.host
        let app = ReservoirServer.application(
            reservoir, host: host, port: port,
            extraServices: demo ? [DemoWorkload(reservoir: reservoir)] : []
        ) { port in
            Serve.announce(url: "http://\(host):\(port)", operator: sign, demo: demo, logins: logins)
        }
        try await app.runService()
    }

    /// How the operator logs in, as far as this start knows.
    enum Login {
        /// A first start made this token: shown now, never again.
        case created(String)
        /// RESERVOIR_BOOTSTRAP_TOKEN holds it; the operator already knows it.
        case fromEnvironment
        /// Tokens made on earlier starts (or with `reservoir tokens create`).
        case existing
    }

    static func announce(url: String, operator login: Login, demo: Bool, logins: [DemoLogin]) {
        var lines = ["", "Reservoir is running at \(url)", ""]
        switch login {
        case .created(let token):
            lines += ["Log in as the operator (this token is shown once):", "  export RESERVOIR_SERVER=\(url)", "  export RESERVOIR_TOKEN=\(token)", ""]
        case .fromEnvironment:
            lines += ["Log in as the operator with the token in RESERVOIR_BOOTSTRAP_TOKEN.", ""]
        case .existing:
            lines += ["Log in with an existing token (RESERVOIR_TOKEN), or set RESERVOIR_BOOTSTRAP_TOKEN to add an operator token.", ""]
        }
        if !logins.isEmpty {
            lines.append("Demo users (one token each, shown once):")
            lines += logins.map { "  \($0.user.padding(toLength: 16, withPad: " ", startingAt: 0)) \($0.roles.padding(toLength: 20, withPad: " ", startingAt: 0)) \($0.token)" }
            lines.append("")
        } else if demo {
            lines += ["The demo was seeded on an earlier start; its tokens were shown then. For a new one:",
                      "  reservoir tokens create --user nlp-member --expires-in 30d", ""]
        }
        lines += ["Try:  swift run reservoir pools    (or: curl -H \"Authorization: Bearer $RESERVOIR_TOKEN\" \(url)/v1/pools)", ""]
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
