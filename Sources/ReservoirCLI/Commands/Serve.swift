import ArgumentParser
import Foundation
import Logging
import ReservoirComposition
import ReservoirCore
import ReservoirHTTP
import ReservoirPlacement
import ReservoirServices

/// `reservoir serve`: load the configuration (file, environment, flags; docs/CONFIG.md), let the
/// composition root build the server from it, log in the operator, import the cluster description, run.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Reservoir server (HTTP API, scheduler, simulated cluster).",
        discussion: "Every setting has a key in the configuration file and an environment variable RESERVOIR_<SECTION>_<KEY> "
            + "(docs/CONFIG.md); flags win over the environment, which wins over the file.")

    @Option(help: "The configuration file: settings, and a cluster description imported at start (docs/CONFIG.md).") var config: String?
    @Option(help: "Address to listen on (server.host; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on, 0 picks a free one (server.port; default 8080).") var port: Int?
    @Option(help: "Directory for the SQLite database (server.dataDir; default reservoir-data).") var dataDir: String?
    @Flag(help: "Seed a demo reservoir (2 regions, 60 nodes, 4 tenants) and a gentle stream of sample jobs (server.demo).") var demo = false
    @Option(help: "Simulated seconds per real second in the simulated cluster (engines.simulator.speed; default 60).") var speed: Double?
    @Option(help: "Probability that a simulated job fails (engines.simulator.failureRate; default 0).") var failureRate: Double?
    @Option(help: "Placement policy: \(PlacementPolicy.allNames.joined(separator: ", ")) (scheduler.placementPolicy; default \(PlacementPolicy.defaultName), the best measured, see docs/BENCHMARKS.md).")
    var policy: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error (server.logLevel; default info).") var logLevel: String?

    /// The flags given, as the keys they set.
    var overrides: [FlagOverride] {
        let given: [(String, String, String?)] = [
            ("server.host", "--host", host), ("server.port", "--port", port.map(String.init)),
            ("server.dataDir", "--data-dir", dataDir), ("server.demo", "--demo", demo ? "true" : nil),
            ("engines.simulator.speed", "--speed", speed.map { "\($0)" }),
            ("engines.simulator.failureRate", "--failure-rate", failureRate.map { "\($0)" }),
            ("scheduler.placementPolicy", "--policy", policy), ("server.logLevel", "--log-level", logLevel),
        ]
        return given.compactMap { key, flag, value in value.map { FlagOverride(key: key, value: $0, flag: flag) } }
    }

    func run() async throws {
        let loaded = try SettingsLoader.load(SettingsSources(file: config, environment: ProcessInfo.processInfo.environment, flags: overrides))
        let settings = loaded.settings
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = settings.server.logLevel
            return handler
        }
        let root = try await CompositionRoot.build(loaded, source: config ?? "configuration", logger: Logger(label: "reservoir"))
        let reservoir = root.reservoir

        let environment = ProcessInfo.processInfo.environment
        let bootstrapToken = environment["RESERVOIR_BOOTSTRAP_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let firstStart = try root.store.users(tenant: nil).isEmpty
        // A secret is printed only when it was made on this start; an operator's own token is never echoed.
        let generated = bootstrapToken == nil && firstStart ? "rsv_" + UUID().uuidString.lowercased() : nil
        var login: Login = bootstrapToken == nil ? .existing : .fromEnvironment
        if let token = bootstrapToken ?? generated, try reservoir.access.bootstrap(operatorToken: token), let generated { login = .created(generated) }
        let sign = login
        let admin = Principal(user: User(id: "admin", roles: [.operator_]))
        try root.importDescription(by: admin)
        let demo = settings.server.demo
        let logins = demo ? try reservoir.demo.seed(by: admin) : []
        if !logins.isEmpty { _ = try await reservoir.demo.deployServices() }

        let host = settings.server.host
        let app = root.application { port in
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
        var lines = ["", "Reservoir is running at \(url)", "Open the web console at \(url)/ and sign in with a token below.", ""]
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
