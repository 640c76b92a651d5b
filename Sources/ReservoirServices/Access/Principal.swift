import ReservoirCore

/// The authenticated caller of a request: who, in which tenant, with which roles. What it may do is
/// decided by `AccessPolicy` alone, never by role checks written at the use case.
public struct Principal: Sendable, Hashable {
    public var user: User

    public init(user: User) { self.user = user }

    public var actor: String { "user:\(user.id)" }
    public var tenant: TenantID? { user.tenant }
}
