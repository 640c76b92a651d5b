import ReservoirCore

/// The access context's port: bearer tokens (stored only as hashes), and the users they belong to.
public protocol AccessStore: Sendable {
    func users(tenant: TenantID?) throws -> [User]
    func createUser(_ user: User, idempotency: IdempotencyKey?, by who: Attribution) throws
    func createToken(id: TokenID, user: UserID, hash: String, expiresAt: Double?, by who: Attribution) throws
    func tokens(user: UserID?) throws -> [TokenInfo]
    /// A page of tokens oldest first, optionally of one user.
    func tokens(user: UserID?, page: PageRequest) throws -> Page<TokenInfo>
    func revokeToken(_ id: TokenID, by who: Attribution) throws
    func credential(forTokenHash hash: String) throws -> Credential?
    /// The token with this id and its user, whatever their state (a console session holds the id, not the secret).
    func credential(forTokenID id: TokenID) throws -> Credential?
    func touchToken(_ id: TokenID, at: Double) throws
    /// Records a refused request (a security event) so it is attributed like any change.
    func recordAudit<Detail: Encodable>(action: String, object: String, tenant: TenantID?, detail: Detail, by who: Attribution) throws
}
