import ArgumentParser
import Foundation

/// Flags every client command shares: where the server is, who we are, and the output form.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server URL (env RESERVOIR_SERVER).")
    var server: String = ProcessInfo.processInfo.environment["RESERVOIR_SERVER"] ?? "http://127.0.0.1:8080"

    /// No default value here: a default is printed by `--help`, and this one would be the live secret.
    @Option(help: "Bearer token (default: env RESERVOIR_TOKEN).")
    var token: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    var client: APIClient { APIClient(server: server, token: token ?? ProcessInfo.processInfo.environment["RESERVOIR_TOKEN"] ?? "") }
}
