import ArgumentParser
import Foundation

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
        let data = try await client.client.send(.POST, "/v1/plans/capacity" + (query.isEmpty ? "" : "?" + query))
        if let model, let svg {
            try await client.client.get("/v1/plans/chart?model=\(model)").write(to: URL(fileURLWithPath: svg))
        }
        if client.json { print(String(decoding: data, as: UTF8.self)); return }
        let report = try JSONDecoder().decode(JSONValue.self, from: data)
        guard case .array(let recs)? = report["recommendations"] else { return }
        print(Output.table(header: ["model", "action", "installed", "peak", "util", "add_gpus", "range80", "needed_by_h", "order_by_h", "rent"], rows: recs.map { r in
            [r["model"], r["action"], r["installed"], r["sustainedPeak"], r["peakUtilization"], r["gpus"]].map { $0?.rendered ?? "-" }
                + ["\(r["gpusLower80"]?.rendered ?? "-")–\(r["gpusUpper80"]?.rendered ?? "-")", r["neededByHours"]?.rendered ?? "-",
                   r["orderByHours"]?.rendered ?? "-", "\(r["rentGPUs"]?.rendered ?? "0")×\(r["rentHours"]?.rendered ?? "0")h"]
        }))
        if case .object(let skipped)? = report["skipped"], !skipped.isEmpty {
            for (model, why) in skipped.sorted(by: { $0.key < $1.key }) { print("skipped \(model): \(why.rendered)") }
        }
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
        let data = try await client.client.json(.POST, "/v1/plans/whatif", body)
        if client.json { print(String(decoding: data, as: UTF8.self)); return }
        let plan = try JSONDecoder().decode(JSONValue.self, from: data)
        if case .array(let steps)? = plan["steps"] {
            print(Output.table(steps, columns: [
                ("step", "kind"), ("source", "source"), ("gpus", "gpus"), ("available_at_h", "availableAtHours"), ("cost", "cost"),
                ("preempted_gpu_h", "preemptedGPUHours"), ("note", "note"),
            ]))
            print("total cost \(Cell.render(plan["totalCost"], key: "totalCost")), shortfall \(plan["shortfall"]?.rendered ?? "-") GPUs")
        } else {
            let r = plan["recommendation"]
            print("surge ×\(surge ?? 3) for \(hours) h: peak shortfall \(plan["peakShortfall"]?.rendered ?? "-") GPUs, unserved \(plan["unservedGPUHours"]?.rendered ?? "-") GPU-hours")
            print("recommendation: \(r?["action"]?.rendered ?? "-") \(r?["gpus"]?.rendered ?? "0") GPUs (80 %: \(r?["gpusLower80"]?.rendered ?? "-")–\(r?["gpusUpper80"]?.rendered ?? "-")), rent \(r?["rentGPUs"]?.rendered ?? "0") for \(r?["rentHours"]?.rendered ?? "0") h")
        }
    }
}
