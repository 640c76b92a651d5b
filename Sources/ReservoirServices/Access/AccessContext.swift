import Crypto
import Foundation
import ReservoirCore
import ReservoirStore

/// Tenancy & access: bearer tokens and who they authenticate, and refused requests as security events.
public struct AccessContext: ApplicationContext {
    public typealias Store = AccessStore
    let store: any Store
    public let runtime: Runtime

    /// Resolves a bearer token to its user. Tokens are stored only as SHA-256 hashes; revoked and
    /// expired tokens and disabled users are refused, each with its reason.
    public func authenticate(bearer token: String) throws -> Principal {
        try authenticateWithToken(bearer: token).principal
    }

    /// `authenticate(bearer:)` that also names the token, so a console session can follow it (and end with it).
    public func authenticateWithToken(bearer token: String) throws -> (token: TokenID, principal: Principal) {
        guard !token.isEmpty, let credential = try store.credential(forTokenHash: Self.hash(token)) else {
            throw ReservoirError(.unauthenticated, "missing or unknown bearer token")
        }
        let principal = try verified(credential)
        let now = clock()
        if now - (credential.token.lastUsedAt ?? 0) >= Self.lastUsedResolution {
            try store.touchToken(credential.token.id, at: now)
        }
        return (credential.token.id, principal)
    }

    /// The user of the token `id` while it is still good: what a console session signed in with that token acts as.
    /// Refused, with its reason, once the token is revoked or expired or its user disabled.
    public func authenticate(tokenID id: TokenID) throws -> Principal {
        guard let credential = try store.credential(forTokenID: id) else { throw ReservoirError(.unauthenticated, "token \(id) no longer exists") }
        return try verified(credential)
    }

    private func verified(_ credential: Credential) throws -> Principal {
        let now = clock()
        guard !credential.token.revoked else { throw ReservoirError(.unauthenticated, "token \(credential.token.id) was revoked") }
        guard !credential.token.isExpired(at: now) else { throw ReservoirError(.unauthenticated, "token \(credential.token.id) has expired") }
        guard !credential.user.isDisabled else { throw ReservoirError(.unauthenticated, "user \(credential.user.id) is disabled") }
        return Principal(user: credential.user)
    }

    /// A token's last use is written at most this often (seconds): one write a minute, not one per request.
    static let lastUsedResolution: Double = 60

    /// Creates the first operator and its token if no user exists yet, so a script can start a
    /// server and use it at once. Idempotent: with a known token it does nothing. Returns whether it created the token.
    @discardableResult
    public func bootstrap(operatorToken token: String) throws -> Bool {
        if (try? authenticate(bearer: token)) != nil { return false }
        let who = system("bootstrap")
        let admin = User(id: "admin", roles: [.operator_])
        if try store.users(tenant: nil).contains(where: { $0.id == admin.id }) == false {
            try store.createUser(admin, idempotency: nil, by: who)
        }
        try store.createToken(id: TokenID("tok-bootstrap-\(Int(clock()))"), user: admin.id, hash: Self.hash(token), expiresAt: nil, by: who)
        return true
    }

    /// Issues a new token for `user` and returns the secret (shown once, stored hashed). `expiresAt`
    /// (Unix seconds) must lie in the future, at most ten years ahead; nil: the token does not expire.
    public func issueToken(for user: UserID, expiresAt: Double? = nil, by principal: Principal) throws -> (TokenInfo, String) {
        try access.require(principal, .issueTokens, tenant: nil, user: user, field: "user")
        if let expiresAt {
            let now = clock()
            guard expiresAt.isFinite, expiresAt > now, expiresAt <= now + 10 * 366 * 86_400 else {
                throw ReservoirError.invalid("expiresAt", "must be a Unix time in the future, at most ten years ahead")
            }
        }
        let secret = Self.newSecret()
        let id = TokenID("tok-" + String(Self.hash(secret).prefix(12)))
        try store.createToken(id: id, user: user, hash: Self.hash(secret), expiresAt: expiresAt, by: attribution(principal))
        guard let info = try store.tokens(user: user).first(where: { $0.id == id }) else {
            throw ReservoirError(.unavailable, "token vanished after creation")
        }
        return (info, secret)
    }

    /// A page of tokens, oldest first: the caller's own, or (operators) any user's, or one user's when asked.
    public func listTokens(user: UserID?, page: PageRequest, by principal: Principal) throws -> Page<TokenInfo> {
        let own = try access.userFilter(principal, .readTokens)
        if let own, let user, user != own {
            throw ReservoirError(.permissionDenied, field: "user", "\(principal.user.id) may only list its own tokens")
        }
        return try store.tokens(user: own ?? user, page: page)
    }

    /// Revokes a token the caller may revoke; another user's token answers "not found", so ids do not leak.
    public func revokeToken(_ id: TokenID, by principal: Principal) throws {
        let tokens = try store.tokens(user: try access.userFilter(principal, .revokeTokens))
        guard tokens.contains(where: { $0.id == id }) else { throw ReservoirError.notFound("token", "no token \(id)") }
        try store.revokeToken(id, by: attribution(principal))
    }

    /// Records a refused request (401 or 403) in the audit log as a security event: who tried
    /// (`anonymous` without a valid token), which route, and why. Never the token itself.
    public func recordDenied(_ error: ReservoirError, method: String, path: String, principal: Principal?) {
        let status = error.code == .unauthenticated ? 401 : 403
        let who = Attribution(actor: principal?.actor ?? "anonymous", at: clock())
        do {
            try store.recordAudit(
                action: "security.denied", object: "security/\(method) \(path)", tenant: principal?.tenant,
                detail: DeniedAttempt(route: "\(method) \(path)", status: status, reason: error.message), by: who)
        } catch {
            logger.error("could not record a denied request", metadata: ["route": "\(method) \(path)", "error": "\(error)"])
        }
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes, hex: unguessable bearer secrets.
    static func newSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        return "rsv_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}

/// The audit detail of a refused request.
struct DeniedAttempt: Encodable {
    var route: String
    var status: Int
    var reason: String
}
