import Hummingbird
import ReservoirCore
import ReservoirServices

/// The estimation calculator, open to every authenticated person (not to node agents).
struct EstimatesController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/estimates", "Estimate a training run (6·P·D FLOPs, time, memory, minimum GPUs per model) or an inference service (GPUs from a load test), with assumptions and calibration error",
                action: .estimate, body: .decoded(Components.estimateInput), answers: .ok(Components.estimateReply), errors: [.forbidden, .unprocessableContent]
            ) { r, c, p in
                let input = try await Coding.decode(EstimateRequest.self, from: r, context: c)
                return try Coding.json(try reservoir.estimates.estimate(input, by: p))
            },
        ]
    }
}
