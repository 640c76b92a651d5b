import ArgumentParser
import ReservoirCore

/// `reservoir notifications`: the notices addressed to the caller (operators: all), with their delivery state.
struct Notifications: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Notifications, newest first: yours, your tenant's and your roles' (operators: all), and whether each was delivered.")
    @OptionGroup var client: ClientOptions
    @Option(help: "At most this many notifications.") var limit = 50

    func run() async throws {
        try Output.rows(try await client.client.list("/v1/notifications", limit: limit), json: client.json, columns: [
            .time("created", \.createdAt), Column<OutboxNotification>("to") { "\($0.recipient)" }, Column("topic", \.topic),
            Column("state") { $0.state.rawValue }, Column("attempts", \.attempts), Column("subject", \.subject),
            Column("last_error") { $0.lastError ?? "" },
        ])
    }
}
