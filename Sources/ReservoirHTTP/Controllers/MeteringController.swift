import Hummingbird
import ReservoirCore
import ReservoirServices

/// Metering: usage over a period (open sessions counted up to now) and its reconciliation against the
/// engines' own accounting.
struct MeteringController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/usage", "Metered usage: GPU-hours per tenant, project and model over the period (open sessions up to now), and a page of its sessions (since, until: Unix seconds; tenant; open; limit, cursor: the sessions)", action: .readUsage,
                query: [
                    .time("since", "Start of the period (default 0)"), .time("until", "End of the period (default now)"),
                    .id("tenant", "Only this tenant's usage (members: their own)"),
                    QueryParameter("open", .boolean, "true: only sessions still open (live usage)"), .limit, .cursor,
                ],
                answers: Answer(status: .ok, content: ("application/json", Components.usageReport.ref), headers: [.link], isPage: false), errors: [.forbidden]
            ) { r, _, p in
                let (since, until) = try Self.period(r)
                let page = try r.page()
                let report = try reservoir.metering.usage(
                    since: since, until: until, tenant: r.query("tenant").map { TenantID($0) }, openOnly: try r.query("open", as: Bool.self) ?? false,
                    page: page, by: p)
                return try Coding.json(report, next: report.next, for: r, page)
            },
            APIRoute(.get, "/v1/usage/reconciliation", "Reservoir's usage sessions against the engines' own accounting (Slurm sacct) per job over the period: jobs missing on either side, GPU-seconds differing beyond the tolerance (since, until: Unix seconds; operators and finance)", action: .readUsage,
                query: [.time("since", "Start of the period (default 0)"), .time("until", "End of the period (default now)")],
                answers: .ok(Components.usageReconciliation), errors: [.forbidden, .serviceUnavailable]
            ) { r, _, p in
                let (since, until) = try Self.period(r)
                return try Coding.json(try await reservoir.metering.reconcileUsage(since: since, until: until, by: p))
            },
        ]
    }

    /// `since` (default 0) and `until` (default now) in Unix seconds, each within bounds.
    private static func period(_ r: Request) throws -> (Double, Double?) {
        let since = try Bounds.check(try r.query("since", as: Double.self) ?? 0, "since", in: Bounds.unixSeconds, unit: "(Unix seconds)")
        let until = try r.query("until", as: Double.self).map { u throws(ReservoirError) in try Bounds.check(u, "until", in: Bounds.unixSeconds, unit: "(Unix seconds)") }
        return (since, until)
    }
}
