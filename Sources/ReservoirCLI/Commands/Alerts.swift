import ArgumentParser
import ReservoirCore

/// `reservoir alerts [--all]`: the alerts firing now, or with `--all` every episode (pending, firing,
/// resolved), newest first (operators and finance).
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Alerts firing now (with --all: pending and resolved too, the history), newest first: rule, subject, severity, when, what to do.")
    @OptionGroup var client: ClientOptions
    @Flag(help: "Every alert, not only those firing.") var all = false
    @Option(help: "Only alerts still open or resolved since then: Unix seconds, a duration ago (7d, 12h) or an ISO 8601 date.") var since: String?
    @Option(help: "At most this many alerts.") var limit = 200

    func run() async throws {
        var query = all ? [] : ["state=firing"]
        if let since { query.append("since=\(since.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? since)") }
        let reply = try await client.client.list("/v1/alerts?" + query.joined(separator: "&"), limit: limit)
        guard let alerts = try Output.value(of: reply, json: client.json, as: [Alert].self) else { return }
        print(Output.table(alerts, columns: [
            Column("state") { $0.state.rawValue }, Column("severity") { $0.severity.rawValue }, Column("alert", \.alertName),
            Column("subject", \.subject), .time("fired", \.firedAt), .time("resolved", \.resolvedAt), Column("summary", \.summary),
        ]))
        if alerts.isEmpty { print(all ? "no alerts yet" : "nothing firing (--all for the history)") }
    }
}
