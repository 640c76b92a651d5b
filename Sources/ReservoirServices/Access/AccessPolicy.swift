import ReservoirCore

/// How far an allowed action reaches. Ordered: a wider scope includes the narrower ones.
public enum AccessScope: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// Not allowed.
    case none = 0
    /// Only objects of the caller's own user (its tokens).
    case ownUser = 1
    /// Objects of the caller's own tenant.
    case ownTenant = 2
    /// Objects of every tenant.
    case anyTenant = 3

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .none: "—"
        case .ownUser: "self"
        case .ownTenant: "own tenant"
        case .anyTenant: "any tenant"
        }
    }
}

/// Who may do what: one table of role × action → scope, consulted by every use case. A caller with
/// several roles gets the widest scope any of them gives. docs/ACCESS.md is rendered from this table
/// (a test keeps them equal), and a test checks every route of the API names an action with a rule.
public struct AccessPolicy: Sendable {
    public let rules: [Action: [Role: AccessScope]]

    public init(rules: [Action: [Role: AccessScope]] = AccessPolicy.standard) { self.rules = rules }

    /// Reservoir's policy. Every action lists every role, so a missing rule is visible here and fails a test.
    public static let standard: [Action: [Role: AccessScope]] = [
        .readInventory: [.operator_: .anyTenant, .member: .anyTenant, .approver: .anyTenant, .emergencyApprover: .anyTenant, .finance: .anyTenant, .agent: .none],
        .changeInventory: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .readTenants: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .manageTenants: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .readUsers: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .manageUsers: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .readQuotas: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .manageQuotas: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .readTokens: [.operator_: .anyTenant, .member: .ownUser, .approver: .ownUser, .emergencyApprover: .ownUser, .finance: .ownUser, .agent: .none],
        .issueTokens: [.operator_: .anyTenant, .member: .ownUser, .approver: .ownUser, .emergencyApprover: .ownUser, .finance: .ownUser, .agent: .none],
        .revokeTokens: [.operator_: .anyTenant, .member: .ownUser, .approver: .ownUser, .emergencyApprover: .ownUser, .finance: .ownUser, .agent: .none],
        .submitJobs: [.operator_: .anyTenant, .member: .ownTenant, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .readJobs: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .changeJobs: [.operator_: .anyTenant, .member: .ownTenant, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .raiseToP0: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .anyTenant, .finance: .none, .agent: .none],
        .readUsage: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .readAudit: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .readDemand: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .readPlans: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .anyTenant, .agent: .none],
        .planRequests: [.operator_: .anyTenant, .member: .none, .approver: .anyTenant, .emergencyApprover: .anyTenant, .finance: .anyTenant, .agent: .none],
        .reportTelemetry: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .anyTenant],
        .readUtilization: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .readServices: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .manageServices: [.operator_: .anyTenant, .member: .ownTenant, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .readNotifications: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .ownTenant, .agent: .none],
        .estimate: [.operator_: .anyTenant, .member: .anyTenant, .approver: .anyTenant, .emergencyApprover: .anyTenant, .finance: .anyTenant, .agent: .none],
        .submitRequests: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .none, .agent: .none],
        .readRequests: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .reviewRequests: [.operator_: .anyTenant, .member: .none, .approver: .anyTenant, .emergencyApprover: .anyTenant, .finance: .none, .agent: .none],
        .holdGrants: [.operator_: .anyTenant, .member: .ownTenant, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .reclaim: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .readReclamations: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .readBilling: [.operator_: .anyTenant, .member: .ownTenant, .approver: .ownTenant, .emergencyApprover: .ownTenant, .finance: .anyTenant, .agent: .none],
        .manageBilling: [.operator_: .none, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .anyTenant, .agent: .none],
        .readReports: [.operator_: .anyTenant, .member: .anyTenant, .approver: .anyTenant, .emergencyApprover: .anyTenant, .finance: .anyTenant, .agent: .none],
        .readAlerts: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .anyTenant, .agent: .none],
        .manageEvents: [.operator_: .anyTenant, .member: .none, .approver: .none, .emergencyApprover: .none, .finance: .none, .agent: .none],
        .openEmergency: [.operator_: .none, .member: .none, .approver: .none, .emergencyApprover: .anyTenant, .finance: .none, .agent: .none],
    ]

    /// The widest scope the principal's roles give for `action`.
    public func scope(_ principal: Principal, _ action: Action) -> AccessScope {
        principal.user.roles.map { rules[action]?[$0] ?? .none }.max() ?? .none
    }

    /// Whether the principal may do `action` to an object of `tenant` (nil: an object of no tenant,
    /// which only an any-tenant scope reaches) or, for actions on users' own things, of `user`.
    public func allows(_ principal: Principal, _ action: Action, tenant: TenantID?, user: UserID? = nil) -> Bool {
        switch scope(principal, action) {
        case .none: false
        case .ownUser: user != nil && user == principal.user.id
        case .ownTenant: tenant != nil && tenant == principal.tenant
        case .anyTenant: true
        }
    }

    /// Fails with 403 unless `allows`; `field` names the request field that chose the object.
    public func require(_ principal: Principal, _ action: Action, tenant: TenantID?, user: UserID? = nil, field: String? = nil) throws(ReservoirError) {
        guard allows(principal, action, tenant: tenant, user: user) else { throw denial(principal, action, field: field) }
    }

    /// Fails with 403 unless the principal may do `action` at all (to something of its own, at least).
    public func requireAny(_ principal: Principal, _ action: Action) throws(ReservoirError) {
        guard scope(principal, action) > .none else { throw denial(principal, action, field: nil) }
    }

    /// The tenant filter of a list: nil (every tenant) or the caller's own tenant; 403 when it may
    /// not list at all, or has a tenant-wide scope but belongs to no tenant.
    public func tenantFilter(_ principal: Principal, _ action: Action) throws(ReservoirError) -> TenantID? {
        switch scope(principal, action) {
        case .anyTenant: return nil
        case .ownTenant:
            guard let tenant = principal.tenant else {
                throw ReservoirError(.permissionDenied, "user \(principal.user.id) belongs to no tenant, so it may not \(action.phrase)")
            }
            return tenant
        case .none, .ownUser: throw denial(principal, action, field: nil)
        }
    }

    /// The user filter of a list of users' own things: nil (everyone's) or the caller's own user.
    public func userFilter(_ principal: Principal, _ action: Action) throws(ReservoirError) -> UserID? {
        switch scope(principal, action) {
        case .anyTenant: return nil
        case .ownUser, .ownTenant: return principal.user.id
        case .none: throw denial(principal, action, field: nil)
        }
    }

    /// Whether the principal reads other tenants' objects as written (operators, finance) rather than
    /// with other tenants' names told anonymously (`JobMentions`).
    public func readsAllTenants(_ principal: Principal) -> Bool { scope(principal, .readJobs) == .anyTenant }

    func denial(_ principal: Principal, _ action: Action, field: String?) -> ReservoirError {
        let roles = principal.user.roles.map(\.rawValue).sorted().joined(separator: ", ")
        let allowed = Role.allCases.filter { (rules[action]?[$0] ?? .none) > .none }.map(\.rawValue).joined(separator: ", ")
        let scope = scope(principal, action)
        let reach = scope == .none ? "" : " beyond its \(scope)"
        return ReservoirError(
            .permissionDenied, field: field,
            "\(principal.actor) (\(roles)) may not \(action.phrase)\(reach); allowed for: \(allowed.isEmpty ? "nobody" : allowed)")
    }
}

extension AccessPolicy {
    /// The table as Markdown, one row per action and one column per role: docs/ACCESS.md holds
    /// exactly this (a test compares them), so the documentation cannot drift from the rules.
    public func markdownTable() -> String {
        let roles = Role.allCases
        var lines = ["| action | " + roles.map(\.rawValue).joined(separator: " | ") + " |"]
        lines.append("|---|" + roles.map { _ in "---|" }.joined())
        for action in Action.allCases {
            let cells = roles.map { (rules[action]?[$0]).map(\.description) ?? "(no rule)" }
            lines.append("| `\(action.rawValue)` (\(action.phrase)) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
