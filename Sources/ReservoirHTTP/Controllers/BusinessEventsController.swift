import Hummingbird
import ReservoirCore
import ReservoirServices

/// Known business events (promotions, model launches, contract ramps): operators register and withdraw
/// them; whoever reads plans lists them; forecasts and capacity plans include the ones that bear on them.
struct BusinessEventsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/business-events", "Registered business events, by start: what forecasts and capacity plans may include", action: .readPlans,
                query: [.limit, .cursor], answers: .page(of: Components.businessEvent), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                let events = try await reservoir.planning.offloaded { try $0.businessEvents(by: p) }
                return try Coding.page(try Page(listed: events, id: \.id, for: page), for: r, page)
            },
            APIRoute(.post, "/v1/business-events", "Register a business event (operators): [start, end), uplift and/or extraGPUs, pools and models affected (none: all); audited",
                action: .manageEvents, body: .decoded(Components.businessEventInput), answers: .created(Components.businessEvent), errors: [.forbidden]
            ) { r, c, p in
                let input = try await Coding.decode(BusinessEventInput.self, from: r, context: c)
                return try Coding.json(try await reservoir.planning.offloaded { try $0.registerEvent(input, by: p) }, status: .created)
            },
            APIRoute(.delete, "/v1/business-events/{id}", "Withdraw a business event (operators): forecasts stop including it; audited", action: .manageEvents,
                answers: .noContent, errors: [.forbidden, .notFound]
            ) { _, c, p in
                let id = try c.parameter("id")
                try await reservoir.planning.offloaded { try $0.withdrawEvent(id, by: p) }
                return Response(status: .noContent)
            },
        ]
    }
}
