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
}
