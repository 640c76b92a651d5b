import ArgumentParser
import Foundation
import ReservoirCore

/// `reservoir price list|set`: device prices as versions with effective dates.
struct PriceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price", abstract: "Device prices per hour, versioned: a new price applies from its date, past usage keeps its price.",
        subcommands: [ListPrices.self, SetPrice.self])
}

/// `reservoir price list [--model M] [--at WHEN]`.
struct ListPrices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Price versions by model and date; --at: the price in force then.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only this model.") var model: String?
    @Option(help: "Only the versions in force at this time: \(TimeArgument.help).") var at: TimeArgument?

    func run() async throws {
        var query: [String] = []
        if let model { query.append("model=\(model.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? model)") }
        if let at { query.append("at=\(at.unixSeconds())") }
        try Output.rows(try await client.client.list("/v1/prices?" + query.joined(separator: "&")), json: client.json, columns: PriceText.columns)
    }
}

/// `reservoir price set MODEL --price 2.40 [--spot 1.00] --from 2026-12-01 [--note WHY]` (finance).
struct SetPrice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Add a price version (finance): from --from on, MODEL costs --price per device-hour.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The catalog model.") var model: String
    @Option(help: "Price of one device-hour on demand, e.g. 2.40.") var price: String
    @Option(help: "Price of one preemptible (spot) device-hour; default: the price × billing.spotFactor.") var spot: String?
    @Option(help: "From when (not before now): \(TimeArgument.help).") var from: TimeArgument
    @Option(help: "Why, kept with the version.") var note: String?

    func run() async throws {
        var body: [String: Any] = ["model": model, "pricePerHour": price, "effectiveFrom": from.unixSeconds()]
        if let spot { body["spotPricePerHour"] = spot }
        if let note { body["note"] = note }
        try Output.row(try await client.client.json(.POST, "/v1/prices", body), json: client.json, columns: PriceText.columns)
    }
}

/// How price versions read on a terminal.
enum PriceText {
    static var columns: [Column<PriceVersion>] { [
        Column("model", \.model), .time("from", \.effectiveFrom), Column("price_h") { amount($0.pricePerHour) },
        Column("spot_h") { $0.spotPricePerHour.map(amount) ?? "-" }, Column("set_by") { $0.setBy ?? "-" }, Column("note") { $0.note ?? "" },
    ] }

    /// `$2.40`: every digit of the price, at least two decimals.
    static func amount(_ price: ReservoirCore.Money) -> String { Money.symbol + price.exactText }
}
