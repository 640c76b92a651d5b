import Hummingbird
import ReservoirCore
import ReservoirServices

/// The water level and feasibility checks (SPEC §5.3): what is free per pool and model, and whether a
/// demand fits now, must queue, must shrink or is refused.
struct FeasibilityController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/water-level", "The water level per pool and GPU model: total, allocated, reserved (dynamic reserve + unused grants), free, queued demand",
                action: .readInventory,
                query: [.id("pool", "Only this pool"), QueryParameter("model", Schema.symbol, "Only this catalog GPU model")],
                answers: .ok(Components.waterLevelReply), errors: [.forbidden, .notFound]
            ) { r, _, p in
                try Coding.json(try reservoir.feasibility.waterLevel(pool: r.query("pool").map { PoolID($0) }, model: r.query("model"), by: p))
            },
            APIRoute(.post, "/v1/feasibility", "Whether a demand fits now, must queue (with an estimated start), must shrink (with what fits) or is refused by a compliance rule",
                action: .submitRequests, body: .decoded(Components.feasibilityInput), answers: .ok(Components.feasibilityReport), errors: [.forbidden]
            ) { r, c, p in
                let question = try await Coding.decode(FeasibilityQuestion.self, from: r, context: c)
                return try Coding.json(try reservoir.feasibility.assess(question, by: p))
            },
        ]
    }
}
