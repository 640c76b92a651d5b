import ArgumentParser
import Foundation
import ReservoirForecasting
import ReservoirServices

/// `reservoir plan capacity`: the server's capacity plan from live state and forecasts.
struct PlanCapacity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "capacity", abstract: "What to buy or rent, how much, by when.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Sustained utilization that triggers expansion (0.6–0.8).") var threshold: Double?
    @Option(help: "Safety buffer on top of demand (0.05–0.2).") var buffer: Double?
    @Option(help: "Also write the SVG chart of this model's forecast to --svg.") var model: String?
    @Option(help: "File for the SVG chart.") var svg: String?
    func run() async throws {
        let query = [("threshold", threshold), ("buffer", buffer)].compactMap { k, v in v.map { "\(k)=\($0)" } }.joined(separator: "&")
        // POST: the plan's forecasts are recorded, so `/v1/forecasts` can score them later.
        let reply = try await client.client.send(.POST, "/v1/plans/capacity" + (query.isEmpty ? "" : "?" + query))
        if let model, let svg {
            try await client.client.get("/v1/plans/chart?model=\(model)").data.write(to: URL(fileURLWithPath: svg))
        }
        guard let report = try Output.value(of: reply, json: client.json, as: CapacityPlanReport.self) else { return }
        print(Output.table(report.recommendations, columns: [
            Column("model", \.model), Column("action", \.action), Column("installed", \.installed), Column("peak", \.sustainedPeak),
            Column("util", \.peakUtilization), Column("add_gpus", \.gpus), Column("range80") { "\($0.gpusLower80.cell)–\($0.gpusUpper80.cell)" },
            Column("needed_by_h", \.neededByHours), Column("order_by_h", \.orderByHours), Column("rent") { "\($0.rentGPUs.cell)×\($0.rentHours.cell)h" },
        ]))
        for (model, why) in report.skipped.sorted(by: { $0.key < $1.key }) { print("skipped \(model): \(why)") }
    }
}

/// `reservoir plan whatif`: a costed plan for a large request, or the effect of a demand surge.
struct PlanWhatIf: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whatif", abstract: "A large request (--gpus) or a demand surge (--surge).")
    @OptionGroup var client: ClientOptions
    @Option(help: "Device model.") var model: String
    @Option(help: "GPUs a customer asks for.") var gpus: Int?
    @Option(help: "Region of the request.") var region: String?
    @Option(help: "Priority class of the request.") var priority = "P1"
    @Option(help: "How long the request needs the GPUs, hours.") var durationHours: Double = 720
    @Option(help: "Demand multiplier for a surge.") var surge: Double?
    @Option(help: "Surge length in hours.") var hours = 168
    @Option(help: "Surge start, hours from now.") var fromHour = 0

    func validate() throws {
        guard (gpus == nil) != (surge == nil) else { throw ValidationError("give either --gpus (a request) or --surge (a demand surge)") }
        if gpus != nil, region == nil { throw ValidationError("--region is required with --gpus") }
    }

    func run() async throws {
        var body: [String: Any] = ["model": model]
        if let gpus {
            body.merge(["scenario": "request", "gpus": gpus, "region": region ?? "", "priority": priority, "durationHours": durationHours]) { $1 }
        } else {
            body.merge(["scenario": "surge", "factor": surge ?? 3, "hours": hours, "fromHour": fromHour]) { $1 }
        }
        let reply = try await client.client.json(.POST, "/v1/plans/whatif", body)
        if gpus != nil {
            guard let plan = try Output.value(of: reply, json: client.json, as: FulfilmentPlan.self) else { return }
            print(Output.table(plan.steps, columns: [
                Column("step", \.kind), Column("source", \.source), Column("gpus", \.gpus), Column("available_at_h", \.availableAtHours),
                .money("cost", \.cost), Column("preempted_gpu_h", \.preemptedGPUHours), Column("note", \.note),
            ]))
            print("total cost \(Cell.money(plan.totalCost)), shortfall \(plan.shortfall.cell) GPUs")
        } else {
            guard let outcome = try Output.value(of: reply, json: client.json, as: WhatIfPlanner.SurgeOutcome.self) else { return }
            let r = outcome.recommendation
            print("surge ×\(surge ?? 3) for \(hours) h: peak shortfall \(outcome.peakShortfall.cell) GPUs, unserved \(outcome.unservedGPUHours.cell) GPU-hours")
            print("recommendation: \(r.action.rawValue) \(r.gpus.cell) GPUs (80 %: \(r.gpusLower80.cell)–\(r.gpusUpper80.cell)), rent \(r.rentGPUs.cell) for \(r.rentHours.cell) h")
        }
    }
}
