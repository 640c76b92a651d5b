import Hummingbird
import ReservoirCore
import ReservoirServices

/// Idle capacity (SPEC §5.7): idle service candidates, the owner's confirmation and its answer, the
/// shrink or reclamation that follows; the monthly L1 review.
struct IdleReclamationController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/reclamation/candidates",
                "Inference services idle over the window (daily peak GPU and GPU-memory utilization below the thresholds every day), and those with an open confirmation",
                action: .readReclamations, query: [.id("tenant", "Only services of this tenant (members: their own)")],
                answers: .ok(.array(Components.idleServiceCandidate.ref)), errors: [.forbidden]
            ) { r, _, p in
                try Coding.json(try reservoir.idleServices.candidates(tenant: r.query("tenant").map { TenantID($0) }, by: p))
            },
            APIRoute(.post, "/v1/services/{id}/idle-confirmation",
                "Ask the owner to confirm an idle service: a recorded notice with a response deadline (leases.idleServices.confirmationDays)",
                action: .reclaim, answers: .ok(Components.idleServiceCandidate), errors: [.forbidden, .conflict]
            ) { _, c, p in try Coding.json(try reservoir.idleServices.confirm(ServiceID(try c.parameter("id")), by: p)) },
            APIRoute(.post, "/v1/services/{id}/idle-confirmation/answer", "The owner's answer to an idle confirmation: keep (with why) or release; once, before the deadline",
                action: .holdGrants, body: .decoded(Components.idleAnswerInput), answers: .ok(Components.idleServiceCandidate), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let input = try await Coding.decode(IdleAnswerInput.self, from: r, context: c)
                return try Coding.json(try reservoir.idleServices.answer(ServiceID(try c.parameter("id")), input.answer, reason: input.reason, by: p))
            },
            APIRoute(.post, "/v1/services/{id}/reclaim",
                "Shrink an idle service (fewer replicas, its maximum lowered) or reclaim every replica, after the owner released it or the deadline passed; recorded",
                action: .reclaim, body: .decoded(Components.idleReclaimInput), answers: .ok(Components.reclamationRecord), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let input = try await Coding.decode(IdleReclaimInput.self, from: r, context: c)
                return try Coding.json(
                    try await reservoir.idleServices.reclaim(ServiceID(try c.parameter("id")), replicas: try input.target(), reason: input.reason, by: p))
            },
            APIRoute(.get, "/v1/reports/l1-review", "The monthly review of L1 grants: utilization, GPU-hours used vs estimated, and keep / shrink / reclaim with its rule",
                action: .readReclamations,
                query: [
                    QueryParameter("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "The month, YYYY-MM (UTC)", required: true),
                    .id("tenant", "Only grants of this tenant (members: their own)"),
                ],
                answers: .ok(Components.l1ReviewReport), errors: [.forbidden]
            ) { r, _, p in
                guard let month = r.query("month") else { throw ReservoirError.invalid("month", "required: a month as YYYY-MM, e.g. 2026-11") }
                return try Coding.json(try reservoir.l1Review.review(month: month, tenant: r.query("tenant").map { TenantID($0) }, by: p))
            },
        ]
    }
}
