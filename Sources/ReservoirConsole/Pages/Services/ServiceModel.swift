import ReservoirCore
import ReservoirServices

/// A service's page: replicas (desired, running, waiting, the range the autoscaler keeps), the SLA against
/// the p99 estimate, the traffic it is offered over the last day (its traffic profile, the same curve the
/// simulator serves) next to its measured GPU utilization, its replica jobs, and its scaling history.
enum ServiceModel {
    /// Points of the day's traffic curve (one every 15 minutes).
    static let trafficStep = 900.0

    static func build(_ request: ConsoleRequest) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let id = ServiceID(try request.parameter("name"))
        let view = try reservoir.services.show(id, by: principal)
        let historyPage = PageRequest(limit: ServicesPages.historyPageSize, cursor: try request.query("history").map { try Cursor(parsing: $0) })
        let history = try reservoir.services.history(id, page: historyPage, by: principal)
        let now = view.load.at

        var data = ServiceRows.summary(view)
        data["title"] = "Service \(id)"
        data["refresh"] = 30
        data["measuredAt"] = ConsoleFormat.time(now)
        data["replicaJobs"] = view.replicas.jobs.map(\.rawValue)
        data["hasReplicaJobs"] = !view.replicas.jobs.isEmpty
        data["policy"] = policy(view.service.autoscaling)
        if let traffic = view.service.traffic {
            let points = stride(from: now - 86_400, through: now, by: trafficStep).map { LineChart.Point(x: $0, y: traffic.qps(at: $0)) }
            data["trafficChart"] = LineChart(
                title: "Requests per second offered over the last day (the traffic profile of the service; SLA peak \(SVG.figure(view.service.sla.peakQPS)) req/s)",
                points: points, yRange: 0...max(view.service.sla.peakQPS, points.map(\.y).max() ?? 0),
                xLabel: { ConsoleFormat.day($0) }, yLabel: { SVG.figure($0, digits: 0) }
            ).svg()
        }
        let utilization = try reservoir.telemetry.utilization(
            UtilizationQuery(scope: .service(id), since: now - 86_400, until: now, resolution: .hour), by: principal)
        data["utilizationChart"] = LineChart(
            title: "Measured GPU utilization of its replicas per hour over the last day (band up to the peak)",
            points: utilization.points.map { .init(x: $0.at, y: $0.gpuUtilMean) },
            band: utilization.points.map { .init(x: $0.at, low: $0.gpuUtilMean, high: $0.gpuUtilMax) }, yRange: 0...100,
            xLabel: { ConsoleFormat.day($0) }, yLabel: { "\(Int($0)) %" }
        ).svg()
        data["history"] = history.items.map { a -> [String: any Sendable] in
            [
                "at": ConsoleFormat.time(a.at), "kind": a.kind.rawValue, "tier": "\(a.tier.rawValue)", "before": a.before, "after": a.after,
                "actor": a.actor, "reason": a.reason,
                "nodes": a.nodes.isEmpty ? (a.request ?? "–") : a.nodes.map(\.rawValue).joined(separator: ", "),
            ]
        }
        data["hasHistory"] = !history.items.isEmpty
        data["moreHistory"] = history.next.map { "/console/services/\(id)?history=\($0)" }
        if historyPage.cursor != nil { data["firstHistory"] = "/console/services/\(id)" }
        return data
    }

    /// The autoscaling policy in words.
    private static func policy(_ p: AutoscalingPolicy) -> String {
        "Scales out above \(SVG.figure(p.scaleOutUtilPercent)) % GPU utilization or \(SVG.figure(p.scaleOutMemoryPercent)) % memory, "
            + "in below \(SVG.figure(p.scaleInUtilPercent)) %, aiming at \(SVG.figure(p.targetUtilPercent)) %, over \(ConsoleFormat.duration(p.windowSeconds)) windows, "
            + "at most \(p.maxStep) replica\(p.maxStep == 1 ? "" : "s") a step, \(ConsoleFormat.duration(p.cooldownSeconds)) apart."
    }
}
