import Foundation
import ReservoirCore
import ReservoirHTTP
import ReservoirServices
import Testing

/// The access policy against the route table: every route names an action with a rule for every role.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    @Test("every route of the route table names an action that has a rule for every role, and every action is used")
    func everyRouteHasARule() async throws {
        try await InProcessServer.with { _, reservoir in
            let policy = reservoir.runtime.access
            let routes = ReservoirServer.documentedRoutes(reservoir)
            #expect(routes.count >= 40)
            for route in routes {
                for role in Role.allCases {
                    #expect(policy.rules[route.action]?[role] != nil, "\(route.method) \(route.path): no rule for \(role.rawValue) × \(route.action.rawValue)")
                }
            }
            // P0 is a rule inside submit and change, not a route of its own; every other action is some route's.
            let unused = Set(Action.allCases).subtracting(routes.map(\.action)).subtracting([.raiseToP0])
            #expect(unused.isEmpty, "actions no route names: \(unused)")
        }
    }

    /// Routes whose valid example acts on an object of the tenant it is given (`valid(world, tenant)`).
    static let objectOfTarget: Set<String> = [
        "POST /v1/users", "PATCH /v1/users/{id}", "DELETE /v1/users/{id}", "POST /v1/tokens", "DELETE /v1/tokens/{id}",
        "PUT /v1/quotas", "DELETE /v1/quotas", "PATCH /v1/tenants/{id}", "POST /v1/jobs", "POST /v1/jobs/cancel",
        "GET /v1/jobs/{id}", "PATCH /v1/jobs/{id}", "GET /v1/jobs/{id}/explain", "POST /v1/jobs/{id}/cancel",
        "GET /v1/jobs/{id}/events", "GET /v1/jobs/{id}/logs",
        "POST /v1/services", "GET /v1/services/{id}", "DELETE /v1/services/{id}", "POST /v1/services/{id}/scale", "GET /v1/services/{id}/history",
        "POST /v1/requests", "GET /v1/requests/{id}", "POST /v1/requests/{id}/withdraw",
        "POST /v1/feasibility",
        "GET /v1/grants/{id}", "POST /v1/grants/{id}/return", "POST /v1/grants/{id}/reclaim",
        "POST /v1/grants/{id}/extensions", "GET /v1/grants/{id}/extensions", "POST /v1/grants/{id}/extensions/{n}/decision",
        "POST /v1/services/{id}/idle-confirmation", "POST /v1/services/{id}/idle-confirmation/answer", "POST /v1/services/{id}/reclaim",
        "GET /v1/invoices", "POST /v1/tenants/{id}/credits", "GET /v1/balances", "GET /v1/showback",
    ]
    /// Routes whose example acts on a tenant that is nobody's own (a new or a fresh tenant), or on every
    /// tenant at once (the usage reconciliation compares all of them).
    static let objectOfNobody: Set<String> = ["POST /v1/tenants", "DELETE /v1/tenants/{id}", "GET /v1/usage/reconciliation"]

    @Test("every role × every route, on objects of its own tenant and of another: the server does exactly what the policy says")
    func everyRoleAgainstEveryRoute() async throws {
        try await InProcessServer.with { api, reservoir in
            let policy = reservoir.runtime.access
            let world = try await ExampleWorld.setUp(api)
            var checked = 0
            for route in ReservoirServer.documentedRoutes(reservoir) {
                let key = "\(route.method) \(route.path)"
                let example = try #require(RouteExamples.all[key], "\(key) has no example")
                for role in Role.allCases {
                    let caller = Caller(role, tenant: "alpha")
                    let user = User(id: UserID(ExampleWorld.user(role, caller.tenant)), tenant: caller.tenant.map { TenantID($0) }, roles: [role])
                    let scope = policy.scope(Principal(user: user), route.action)
                    for target in ExampleWorld.tenants {
                        let reply = try await world.send(try await example.valid(world, target), as: caller)
                        let what = "\(key) as \(caller) on \(target)'s objects (\(route.action.rawValue): \(scope))"
                        let allowed: Bool
                        if Self.objectOfTarget.contains(key) {
                            allowed = scope == .anyTenant || (scope == .ownTenant && target == caller.tenant)
                        } else if Self.objectOfNobody.contains(key) {
                            allowed = scope == .anyTenant
                        } else {
                            allowed = scope > .none
                        }
                        if allowed {
                            #expect(reply.status == example.status, "\(what): allowed, so \(example.status) as for the operator; got \(reply.status) \(reply.text.prefix(200))")
                            Self.expectOnlyVisible(reply, scope: scope, user: user, what)
                        } else {
                            #expect([403, 404].contains(reply.status), "\(what): refused, so 403 (or 404 for an object it may not see); got \(reply.status) \(reply.text.prefix(200))")
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked == ReservoirServer.documentedRoutes(reservoir).count * Role.allCases.count * ExampleWorld.tenants.count)
        }
    }

    /// A list answered to a caller with an own-tenant or own-user scope holds only what is its own.
    static func expectOnlyVisible(_ reply: Reply, scope: AccessScope, user: User, _ what: String) {
        for item in reply.array {
            if scope == .ownTenant, let tenant = item["tenant"] as? String {
                #expect(tenant == user.tenant?.rawValue, "\(what): lists an object of tenant \(tenant)")
            }
            if scope == .ownUser, let owner = item["user"] as? String {
                #expect(owner == user.id.rawValue, "\(what): lists a token of \(owner)")
            }
        }
    }
}
