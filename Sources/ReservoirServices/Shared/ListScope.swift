import ReservoirCore

extension AccessPolicy {
    /// The tenant a list is narrowed to: the one the caller asked for (`tenant=`), within what the caller
    /// may read for `action`; nil: every tenant. Asking for a tenant one may not read is refused, naming `tenant`.
    func listedTenant(asked: TenantID?, _ principal: Principal, _ action: Action) throws -> TenantID? {
        let scope = try tenantFilter(principal, action)
        guard let scope else { return asked }
        guard asked == nil || asked == scope else {
            throw ReservoirError(.permissionDenied, field: "tenant", "\(principal.user.id) may only list tenant \(scope)")
        }
        return scope
    }
}
