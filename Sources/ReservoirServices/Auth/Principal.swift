import ReservoirCore

/// The authenticated caller of a request: who, in which tenant, with which roles.
/// Every permission check in the application reads this, never a raw token.
public struct Principal: Sendable, Hashable {
    public var user: User

    public init(user: User) { self.user = user }

    public var actor: String { "user:\(user.id)" }
    public var tenant: TenantID? { user.tenant }
    public var isOperator: Bool { user.roles.contains(.operator_) }
    /// Operators and finance read across tenants.
    public var readsAllTenants: Bool { isOperator || user.roles.contains(.finance) }

    /// Fails unless the caller is an operator.
    public func requireOperator(_ what: String) throws(ReservoirError) {
        guard isOperator else { throw ReservoirError(.permissionDenied, "only operators may \(what)") }
    }

    /// The tenant scope of a read: nil (all) for operators and finance, else the caller's own tenant.
    public func readScope() throws(ReservoirError) -> TenantID? {
        if readsAllTenants { return nil }
        guard let tenant else { throw ReservoirError(.permissionDenied, "user \(user.id) belongs to no tenant") }
        return tenant
    }

    /// Operators and the emergency approver may put a job in P0, the emergency class; the approver
    /// for any tenant, since approving emergencies across tenants is what the role is for.
    public var mayRaiseToP0: Bool { isOperator || user.roles.contains(.emergencyApprover) }

    /// The one P0 rule, for submissions and priority changes alike.
    public func requireMayUse(_ priority: PriorityClass) throws(ReservoirError) {
        guard priority != .p0 || mayRaiseToP0 else {
            throw ReservoirError(.permissionDenied, field: "priority", "P0 (emergency) needs an operator or the emergency approver")
        }
    }

    /// Whether the caller may see an object of `tenant`.
    public func canRead(tenant owner: TenantID) -> Bool { readsAllTenants || tenant == owner }

    /// Whether the caller may change an object (job) of `tenant`: operators, or members of that tenant.
    public func canWrite(tenant owner: TenantID) -> Bool {
        isOperator || (tenant == owner && user.roles.contains(.member))
    }
}
