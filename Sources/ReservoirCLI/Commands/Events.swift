import ArgumentParser
import Foundation
import ReservoirCore

/// `reservoir events list|add|withdraw`: known business events that forecasts and capacity plans include.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Known business events (promotions, model launches, contract ramps) that forecasts and plans include.",
        subcommands: [ListEvents.self, AddEvent.self, WithdrawEvent.self])
}

/// `reservoir events list`.
struct ListEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Registered business events, by start.")
    @OptionGroup var client: ClientOptions

    func run() async throws {
        try Output.rows(try await client.client.list("/v1/business-events"), json: client.json, columns: EventText.columns)
    }
}

/// `reservoir events add NAME --start 2026-11-10 --end 2026-11-12 --uplift 0.8 [--extra-gpus 16] [--pool P]… [--model M]… [--kind promotion]`.
struct AddEvent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Register a business event (operators): from --start to --end, demand × (1 + --uplift) and/or + --extra-gpus.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "What the event is, e.g. \"11.11 promotion\".") var name: String
    @Option(help: "promotion, model_launch, contract_ramp or other.") var kind: String?
    @Option(help: "When it starts: an ISO 8601 date or time, or Unix seconds.") var start: TimeArgument
    @Option(help: "When it is over (after --start): an ISO 8601 date or time, or Unix seconds.") var end: TimeArgument
    @Option(help: "Expected relative uplift of demand, e.g. 0.5 for +50 %.") var uplift: Double?
    @Option(help: "Expected GPUs in use on top of the usual demand, per affected model.") var extraGPUs: Double?
    @Option(help: "A pool affected (repeat; none: all pools).") var pool: [String] = []
    @Option(help: "A device model affected (repeat; none: all models).") var model: [String] = []
    @Option(help: "Why, kept with the event.") var note: String?

    func run() async throws {
        var body: [String: Any] = ["name": name, "start": start.unixSeconds(), "end": end.unixSeconds(), "pools": pool, "models": model]
        if let kind { body["kind"] = kind }
        if let uplift { body["uplift"] = uplift }
        if let extraGPUs { body["extraGPUs"] = extraGPUs }
        if let note { body["note"] = note }
        try Output.row(try await client.client.json(.POST, "/v1/business-events", body), json: client.json, columns: EventText.columns)
    }
}

/// `reservoir events withdraw ID`.
struct WithdrawEvent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Withdraw a business event (operators): forecasts stop including it.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The event's id (ev-N).") var id: String

    func run() async throws {
        _ = try await client.client.send(.DELETE, "/v1/business-events/\(id)")
        print("withdrew \(id)")
    }
}

/// How business events read on a terminal.
enum EventText {
    static var columns: [Column<BusinessEventRecord>] { [
        Column("id", \.id), Column("name", \.name), Column("kind") { $0.kind.rawValue }, .time("start", \.start), .time("end", \.end),
        Column("effect") { describe($0) },
        Column("pools") { $0.pools.isEmpty ? "all" : $0.pools.map(\.rawValue).joined(separator: ",") },
        Column("models") { $0.models.isEmpty ? "all" : $0.models.joined(separator: ",") },
    ] }

    /// `+50 %`, `+16 GPUs`, or both.
    static func describe(_ event: BusinessEventRecord) -> String {
        [event.uplift.map { String(format: "%+.0f %%", $0 * 100) }, event.extraGPUs.map { "+\(Cell.number($0)) GPUs" }].compactMap { $0 }.joined(separator: " ")
    }
}
