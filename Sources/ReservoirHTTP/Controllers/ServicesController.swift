import Hummingbird
import ReservoirCore
import ReservoirServices

/// Inference services: deploy (JSON or YAML), list, show, scale by hand, history, delete; the
/// tier-2/3 capacity requests operators list, approve and close.
struct ServicesController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/services", "List inference services by name (filter: tenant), each with its replicas, load and last adjustment", action: .readServices,
                query: [.id("tenant", "Only services of this tenant (members: their own)")], answers: .page(of: Components.serviceView), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.services.list(tenant: r.query("tenant").map { TenantID($0) }, page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/services", "Deploy an inference service (JSON, or YAML with Content-Type: application/yaml); its initial replicas are submitted as jobs", action: .manageServices,
                body: .decoded(Components.serviceSpec), query: [.idempotencyKey], answers: .created(Components.serviceView),
                errors: [.forbidden, .notFound, .conflict, .unprocessableContent]
            ) { r, c, p in
                let spec = try await Coding.decode(ServiceSpec.self, from: r, context: c)
                return try Coding.json(try await reservoir.services.deploy(spec, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.get, "/v1/services/{id}", "Show a service: replicas, SLA, traffic, utilization and p99 latency estimate", action: .readServices,
                answers: .ok(Components.serviceView)
            ) { _, c, p in try Coding.json(try reservoir.services.show(ServiceID(try c.parameter("id")), by: p)) },
            APIRoute(.delete, "/v1/services/{id}", "Delete a service: its replicas are cancelled, its history kept", action: .manageServices,
                answers: .noContent, errors: [.forbidden]
            ) { _, c, p in
                try await reservoir.services.delete(ServiceID(try c.parameter("id")), by: p)
                return Response(status: .noContent)
            },
            APIRoute(.post, "/v1/services/{id}/scale", "Set a service's replicas by hand (within min…max), with the reason recorded", action: .manageServices,
                body: .decoded(Components.serviceScaling), answers: .ok(Components.serviceView), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let scaling = try await Coding.decode(ServiceScaling.self, from: r, context: c)
                return try Coding.json(try await reservoir.services.scale(ServiceID(try c.parameter("id")), to: scaling.replicas, reason: scaling.reason, by: p))
            },
            APIRoute(.get, "/v1/services/{id}/history", "Every adjustment of a service, oldest first: before/after, actor, time, tier, reason", action: .readServices,
                answers: .page(of: Components.serviceAdjustment)
            ) { r, c, p in
                let page = try r.page()
                return try Coding.page(try reservoir.services.history(ServiceID(try c.parameter("id")), page: page, by: p), for: r, page)
            },
            APIRoute(.get, "/v1/capacity-requests", "Services' requests for reserve nodes (tier 2) and cross-region transfers (tier 3), newest first (filter: state)", action: .readServices,
                query: [QueryParameter("state", .cases(CapacityRequestState.self), "Only requests in this state")],
                answers: .page(of: Components.serviceCapacityRequest), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                let state = try r.query("state", oneOf: CapacityRequestState.self)
                return try Coding.page(try reservoir.services.capacityRequests(state: state, page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/capacity-requests/{id}/approve", "Approve a pending reserve request: idle reserve nodes that fit move into the service's pool", action: .changeInventory,
                answers: .ok(Components.serviceCapacityRequest), errors: [.forbidden, .conflict]
            ) { _, c, p in try Coding.json(try reservoir.services.approve(try c.parameter("id"), by: p)) },
            APIRoute(.post, "/v1/capacity-requests/{id}/close", "Close a pending request (a transfer arranged, or declined), with a note", action: .changeInventory,
                body: .decoded(Components.capacityRequestClosing), answers: .ok(Components.serviceCapacityRequest), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let closing = try await Coding.decode(CapacityRequestClosing.self, from: r, context: c)
                return try Coding.json(try reservoir.services.close(try c.parameter("id"), note: closing.note, by: p))
            },
        ]
    }
}
