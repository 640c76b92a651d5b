import Foundation
import ReservoirCore
import ReservoirServices
import Testing

@Suite("Access policy: one table of role × action → scope")
struct AccessPolicyTests {
    let policy = AccessPolicy()

    func principal(_ roles: Set<Role>, tenant: TenantID? = "alpha", id: UserID = "u1") -> Principal {
        Principal(user: User(id: id, tenant: tenant, roles: roles))
    }

    @Test("every action has a rule for every role: a missing rule fails here, not in production")
    func tableIsTotal() {
        for action in Action.allCases {
            for role in Role.allCases {
                #expect(policy.rules[action]?[role] != nil, "no rule for \(role.rawValue) × \(action.rawValue)")
            }
        }
    }

    @Test("docs/ACCESS.md holds the table exactly as the code has it")
    func documentationIsTheTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/ACCESS.md"), encoding: .utf8)
        #expect(doc.contains(policy.markdownTable()), "docs/ACCESS.md is out of date; paste AccessPolicy().markdownTable():\n\(policy.markdownTable())")
    }

    @Test("scopes: own user, own tenant, any tenant, none")
    func scopes() {
        let member = principal([.member])
        #expect(policy.allows(member, .readJobs, tenant: "alpha"))
        #expect(!policy.allows(member, .readJobs, tenant: "beta"))
        #expect(!policy.allows(member, .readJobs, tenant: nil), "an object of no tenant needs an any-tenant scope")
        #expect(policy.allows(member, .revokeTokens, tenant: nil, user: "u1"))
        #expect(!policy.allows(member, .revokeTokens, tenant: nil, user: "u2"))
        #expect(!policy.allows(member, .manageTenants, tenant: "alpha"), "members do not manage even their own tenant")
        #expect(policy.allows(principal([.operator_], tenant: nil), .manageTenants, tenant: "beta"))
        #expect(policy.allows(principal([.finance], tenant: nil), .readUsage, tenant: "beta"))
        #expect(!policy.allows(principal([.finance], tenant: nil), .submitJobs, tenant: "beta"))
    }

    @Test("several roles: the widest scope wins")
    func rolesCombine() {
        let both = principal([.member, .emergencyApprover])
        #expect(policy.allows(both, .raiseToP0, tenant: "beta"))
        #expect(policy.allows(both, .changeJobs, tenant: "alpha"))
        #expect(!policy.allows(both, .changeJobs, tenant: "beta"))
    }

    @Test("list filters: any tenant reads all, own tenant reads its own, no tenant or no rule is a 403 that says why")
    func listFilters() throws {
        #expect(try policy.tenantFilter(principal([.finance], tenant: nil), .readJobs) == nil)
        #expect(try policy.tenantFilter(principal([.member]), .readJobs) == "alpha")
        #expect(try policy.userFilter(principal([.member]), .readTokens) == "u1")
        #expect(try policy.userFilter(principal([.operator_], tenant: nil), .readTokens) == nil)
        let orphan = #expect(throws: ReservoirError.self) { try policy.tenantFilter(principal([.approver], tenant: nil), .readJobs) }
        #expect(orphan?.code == .permissionDenied)
        #expect(orphan?.message.contains("belongs to no tenant") == true)
        let denied = #expect(throws: ReservoirError.self) { try policy.require(principal([.member]), .changeInventory, tenant: nil) }
        #expect(denied?.message.contains("may not change the inventory") == true)
        #expect(denied?.message.contains("allowed for: operator") == true)
    }

    @Test("a different table changes what the use cases allow: they consult it, not role checks of their own")
    func useCasesConsultTheTable() throws {
        var rules = AccessPolicy.standard
        rules[.manageQuotas]?[.member] = .ownTenant
        rules[.readUsage]?[.member] = AccessScope.none
        let world = try World()
        let custom = Reservoir(store: world.store, engine: world.engine, logger: World.logger, access: AccessPolicy(rules: rules))
        let own = Quota(tenant: "alpha", pool: "p1", guaranteedMilli: 1000, limitMilli: 2000)
        #expect(try custom.tenancy.setQuota(own, by: world.member).limitMilli == 2000)
        #expect(throws: ReservoirError.self) { try custom.tenancy.setQuota(Quota(tenant: "beta", pool: "p1", guaranteedMilli: 0, limitMilli: 0), by: world.member) }
        #expect(throws: ReservoirError.self) { try custom.metering.usage(since: 0, until: nil, by: world.member) }
        // The standard table: members set no quotas and read their own usage.
        #expect(throws: ReservoirError.self) { try world.reservoir.tenancy.setQuota(own, by: world.member) }
        #expect(try world.reservoir.metering.usage(since: 0, until: nil, by: world.member).lines.isEmpty)
    }
}
