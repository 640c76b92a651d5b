import Hummingbird
import ReservoirCore
import ReservoirServices

/// Alerts: the built-in rules' alerts and their history (docs/ALERTS.md).
struct AlertsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/alerts", "Alerts, newest first: pending, firing and resolved episodes of the built-in rules (low efficiency, capacity risk, pool saturated, pool underused, queue wait, zero balance), with when each fired and resolved",
                action: .readAlerts,
                query: [
                    QueryParameter("state", .cases(AlertState.self), "Only alerts in this state"),
                    .pointInTime("since", "Only alerts still open or resolved since then (Unix seconds, 7d, ISO 8601)"),
                ],
                answers: .page(of: Components.alert), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(
                    try reservoir.alerts.alerts(
                        state: try r.query("state", oneOf: AlertState.self), since: try r.pointInTime("since", now: reservoir.now()), page: page, by: p),
                    for: r, page)
            },
        ]
    }
}
