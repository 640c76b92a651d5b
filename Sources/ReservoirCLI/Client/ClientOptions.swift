import ArgumentParser
import Foundation

/// Flags every client command shares: where the server is, who we are, and the output form.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server URL (env RESERVOIR_SERVER).")
    var server: String = ProcessInfo.processInfo.environment["RESERVOIR_SERVER"] ?? "http://127.0.0.1:8080"

    @Option(help: "Bearer token (env RESERVOIR_TOKEN).")
    var token: String = ProcessInfo.processInfo.environment["RESERVOIR_TOKEN"] ?? ""

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    var client: APIClient { APIClient(server: server, token: token) }
}
