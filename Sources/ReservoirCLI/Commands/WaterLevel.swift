import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir water-level`: what is free, reserved and waiting per pool and GPU model (SPEC §5.3).
struct WaterLevelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "water-level", abstract: "The water level per pool and GPU model: total, allocated, reserved, free, queued demand.",
        discussion: "reserved = the pool's dynamic reserve (for P0) + what live grants promise and their jobs do not use yet; unavailable = failed, in maintenance or on a cordoned/down node.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only this pool.") var pool: String?
    @Option(help: "Only this catalog GPU model.") var model: String?

    func run() async throws {
        let query = [pool.map { "pool=\($0)" }, model.map { "model=\($0)" }].compactMap { $0 }.joined(separator: "&")
        let reply = try await client.client.get("/v1/water-level" + (query.isEmpty ? "" : "?" + query))
        guard let levels = try Output.value(of: reply, json: client.json, as: WaterLevelReply.self) else { return }
        print(Self.table(levels.levels))
    }

    static func table(_ levels: [WaterLevel]) -> String {
        Output.table(
            header: ["pool", "model", "total", "allocated", "reserved", "dynamic_reserve", "free", "queued", "unavailable", "strategic_reserve"],
            rows: levels.map {
                [$0.pool.rawValue, $0.model, "\($0.total)", "\($0.allocated)", "\($0.reserved)", "\($0.dynamicReserve)", "\($0.free)", "\($0.queued)",
                 "\($0.unavailable)", $0.strategicReserve ? "yes" : "no"]
            })
    }
}
