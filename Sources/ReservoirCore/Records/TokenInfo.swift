/// A token as listed: never the secret, never the hash.
public struct TokenInfo: Codable, Hashable, Sendable {
    public var id: TokenID
    public var user: UserID
    public var createdAt: Double
    /// After this (Unix seconds) the token is refused; nil: it does not expire.
    public var expiresAt: Double?
    /// When the token last authenticated a request (recorded at most once a minute).
    public var lastUsedAt: Double?
    public var revoked: Bool

    public func isExpired(at now: Double) -> Bool { expiresAt.map { $0 <= now } ?? false }

    public init(id: TokenID, user: UserID, createdAt: Double, expiresAt: Double?, lastUsedAt: Double?, revoked: Bool) {
        self.id = id
        self.user = user
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revoked = revoked
    }
}
