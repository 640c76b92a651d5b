import Hummingbird
import ReservoirCore
import ReservoirServices

/// Prices per device model, versioned with effective dates: read by anyone who reads billing, set by finance.
struct PricesController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/prices", "Price versions per device model, by model then date; with `at`, the version in force then, one per model (a model without versions: its catalog list price from 0)",
                action: .readBilling,
                query: [QueryParameter("model", .symbol, "Only this model"), .time("at", "Only the versions in force at this instant"), .limit, .cursor],
                answers: .page(of: Components.priceVersion), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                let at = try r.query("at", as: Double.self)
                let versions = try reservoir.billing.prices(model: r.query("model"), at: at, by: p)
                return try Coding.page(try Page(listed: versions, id: { "\($0.model)@\($0.effectiveFrom)" }, for: page), for: r, page)
            },
            APIRoute(.post, "/v1/prices", "Add a price version (finance): from `effectiveFrom` (not before now) the model costs `pricePerHour`; usage before keeps its price; the same model and instant twice is 409",
                action: .manageBilling, body: .decoded(Components.priceInput), answers: .created(Components.priceVersion), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let input = try await Coding.decode(PriceInput.self, from: r, context: c)
                return try Coding.json(try reservoir.billing.setPrice(input, by: p), status: .created)
            },
        ]
    }
}
