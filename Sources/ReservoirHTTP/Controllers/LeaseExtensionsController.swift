import Hummingbird
import ReservoirCore
import ReservoirServices

/// Lease extensions (SPEC §5.7): an owner asks before the end, with a reason; operators approve or
/// refuse, judged against the queue waiting for the same capacity.
struct LeaseExtensionsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/grants/{id}/extensions", "Ask to extend a grant's lease before it ends, with a reason (days at most leases.extensionMaxDays; at most leases.extensionMaxCount in all); operators are told and decide",
                action: .holdGrants, body: .decoded(Components.extensionInput), answers: .ok(Components.leaseExtensions), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let input = try await Coding.decode(ExtensionInput.self, from: r, context: c)
                return try Coding.json(try reservoir.leases.requestExtension(GrantID(try c.parameter("id")), input, by: p))
            },
            APIRoute(.get, "/v1/grants/{id}/extensions", "A grant's lease, its extensions, and the queued jobs waiting for the same capacity (pool and model)",
                action: .readRequests, answers: .ok(Components.leaseExtensions)
            ) { _, c, p in try Coding.json(try reservoir.leases.extensions(GrantID(try c.parameter("id")), by: p)) },
            APIRoute(.post, "/v1/grants/{id}/extensions/{n}/decision", "Approve (the end moves; notices re-arm for it) or refuse a pending extension, with a reason told to the owner",
                action: .reclaim, body: .decoded(Components.extensionDecision), answers: .ok(Components.leaseExtensions), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let input = try await Coding.decode(ExtensionDecision.self, from: r, context: c)
                guard let number = Int(try c.parameter("n")), (1...Self.maxNumber).contains(number) else {
                    throw ReservoirError.invalid("n", "must be an extension number 1…\(Self.maxNumber)")
                }
                return try Coding.json(try reservoir.leases.decideExtension(GrantID(try c.parameter("id")), number: number, input, by: p))
            },
        ]
    }

    /// The highest extension number accepted in a path (`leases.extensionMaxCount` is at most 100).
    static let maxNumber = 100
}
