import Hummingbird
import ReservoirCore
import ReservoirServices

/// Taking grants back: the owner's early return, the operators' forced reclaim (with an approval record),
/// and the records of every reclamation by month.
struct ReclamationsController {
    let reservoir: Reservoir

    /// The operators' forced reclaim.
    struct ForcedReclaim: Decodable {
        let approval: String
        let reason: String
    }

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/grants/{id}/return", "Return a grant early (its owner's tenant): its jobs stop (running ones after their checkpoint grace), the quota falls back, and the record credits the GPU-hours given up; a second return is 409",
                action: .holdGrants, query: [QueryParameter("reason", .text(maxBytes: InputLimits.nameBytes), "Why, for the record and the request's history")],
                answers: .ok(Components.reclamationRecord), errors: [.forbidden, .conflict]
            ) { r, c, p in
                try Coding.json(try reservoir.reclamations.returnGrant(GrantID(try c.parameter("id")), reason: r.query("reason"), by: p))
            },
            APIRoute(.post, "/v1/grants/{id}/reclaim", "Take a grant back by force (operators): only with an approval record (400 without); its jobs stop after their checkpoint grace; recorded with who approved it",
                action: .reclaim, body: .decoded(Components.forcedReclaim), answers: .ok(Components.reclamationRecord), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let body = try await Coding.decode(ForcedReclaim.self, from: r, context: c)
                return try Coding.json(
                    try reservoir.reclamations.forceReclaim(GrantID(try c.parameter("id")), approval: body.approval, reason: body.reason, by: p))
            },
            APIRoute(.get, "/v1/reclamations", "Reclamations of a month, newest first: what was taken back, why, from whom, when, who approved it and the GPU-hours it freed (members: their own tenant's)",
                action: .readReclamations,
                query: [
                    QueryParameter("month", Schema.string(maxBytes: 7, minLength: 7, pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM (UTC); default: this month"),
                    .id("tenant", "Only reclamations of this tenant (members: their own)"),
                    QueryParameter("reason", .cases(ReclamationReason.self), "Only reclamations for this reason"),
                ],
                answers: .page(of: Components.reclamationRecord), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                let month = try r.query("month").map { text throws(ReservoirError) in try ReportMonth(text) }
                return try Coding.page(
                    try reservoir.reclamations.reclamations(
                        month: month, tenant: r.query("tenant").map { TenantID($0) }, reason: try r.query("reason", oneOf: ReclamationReason.self), page: page,
                        by: p),
                    for: r, page)
            },
        ]
    }
}
