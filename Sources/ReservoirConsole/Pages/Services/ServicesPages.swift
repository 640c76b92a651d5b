import Foundation
import ReservoirCore
import ReservoirServices

/// `/console/services` and `/console/services/{name}`: inference services with their replicas, SLA, load,
/// traffic and scaling history, read through the use cases `ServicesController` calls.
struct ServicesPages: ConsolePageGroup {
    static let list = ConsolePage(id: "services", title: "Services", section: .services, action: .readServices, navPath: "/console/services")
    static let service = ConsolePage(id: "service", title: "Service", section: .services, action: .readServices)

    static let pageSize = 50
    static let historyPageSize = 50

    var pages: [ConsolePage] { [Self.list, Self.service] }
    var templates: [String: String] { ["services": ServicesTemplates.list, "service": ServicesTemplates.service] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/services", Self.list) { request in
            let page = PageRequest(limit: Self.pageSize, cursor: try request.query("cursor").map { try Cursor(parsing: $0) })
            let services = try request.reservoir.services.list(tenant: nil, page: page, by: request.principal)
            var data: [String: any Sendable] = ["services": services.items.map(ServiceRows.summary), "hasServices": !services.items.isEmpty]
            data["next"] = services.next.map { "/console/services?cursor=\($0)" }
            if page.cursor != nil { data["first"] = "/console/services" }
            return .render(Self.list, "services", data)
        }
        routes.get("/console/services/{name}", Self.service) { request in
            .render(Self.service, "service", try ServiceModel.build(request))
        }
    }
}

/// The figures of a service as both pages show them.
enum ServiceRows {
    static func summary(_ view: ServiceView) -> [String: any Sendable] {
        let s = view.service, load = view.load
        let source = load.gpuUtilPercent == nil ? "" : load.measured ? " (measured)" : " (estimated)"
        let sla: String = switch load.withinSLA {
        case true?: "met"
        case false?: "missed"
        case nil: "–"
        }
        let qps: String = load.qps.map { "\(SVG.figure($0)) req/s" } ?? "–"
        let p99: String = load.p99LatencyMsEstimate.map { "\(SVG.figure($0)) ms" } ?? "–"
        return [
            "name": s.id.rawValue, "tenant": s.tenant.rawValue, "pool": s.pool.rawValue, "model": s.model,
            "running": view.replicas.running, "desired": view.replicas.desired, "pending": view.replicas.pending,
            "range": "\(s.minReplicas)–\(s.maxReplicas)", "priority": s.priority.rawValue,
            "slaLatency": "\(SVG.figure(s.sla.p99LatencyMs)) ms", "slaPeak": "\(SVG.figure(s.sla.peakQPS)) req/s",
            "qps": qps, "utilization": ConsoleFormat.percent(load.gpuUtilPercent) + source, "p99": p99,
            "sla": sla, "slaClass": load.withinSLA == false ? "severity-critical" : "",
        ]
    }
}
