import Foundation
import Hummingbird
import ReservoirCore
import ReservoirServices

/// Node agents' reports and device health history.
struct HealthController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/agent/reports", "A node agent's discovery and samples (agent role)", action: .reportTelemetry,
                body: .decoded(Components.agentReport), answers: .ok(Components.agentReportReceipt), errors: [.forbidden, .notFound]
            ) { r, c, p in
                let report = try await Coding.decode(AgentReport.self, from: r, context: c)
                return try Coding.json(try await reservoir.health.report(report, by: p))
            },
            APIRoute(.get, "/v1/devices/{id}/health", "A device's health history, newest first (the id is `<node>/gpu<index>`, its slash may be sent as %2F)",
                action: .readInventory, answers: .page(of: Components.deviceHealthEvent), errors: [.forbidden]
            ) { r, c, p in
                let page = try r.page()
                let raw = try c.parameter("id")
                let id = DeviceID(raw.removingPercentEncoding ?? raw)
                return try Coding.page(try reservoir.health.history(id, page: page, by: p), for: r, page)
            },
        ]
    }
}
