import Crypto
import Foundation
import ReservoirCore
import ReservoirStore

extension Reservoir {
    /// Resolves a bearer token to its user. Tokens are stored only as SHA-256 hashes.
    public func authenticate(bearer token: String) throws -> Principal {
        guard !token.isEmpty, let user = try store.user(forTokenHash: Self.hash(token)) else {
            throw ReservoirError(.unauthenticated, "missing, unknown or revoked bearer token")
        }
        return Principal(user: user)
    }

    /// Creates the first operator and its token if no user exists yet, so a script can start a
    /// server and use it at once. Idempotent: with a known token it does nothing.
    public func bootstrap(operatorToken token: String) throws {
        if (try? authenticate(bearer: token)) != nil { return }
        let who = system("bootstrap")
        let admin = User(id: "admin", roles: [.operator_])
        if try store.users(tenant: nil).contains(where: { $0.id == admin.id }) == false {
            try store.createUser(admin, by: who)
        }
        try store.createToken(id: TokenID("tok-bootstrap-\(Int(clock()))"), user: admin.id, hash: Self.hash(token), by: who)
    }

    /// Issues a new token for `user` and returns the secret (shown once, stored hashed).
    public func issueToken(for user: UserID, by principal: Principal) throws -> (TokenInfo, String) {
        guard principal.isOperator || principal.user.id == user else {
            throw ReservoirError(.permissionDenied, "only operators may issue tokens for other users")
        }
        let secret = Self.newSecret()
        let id = TokenID("tok-" + String(Self.hash(secret).prefix(12)))
        try store.createToken(id: id, user: user, hash: Self.hash(secret), by: attribution(principal))
        guard let info = try store.tokens(user: user).first(where: { $0.id == id }) else {
            throw ReservoirError(.unavailable, "token vanished after creation")
        }
        return (info, secret)
    }

    public func listTokens(by principal: Principal) throws -> [TokenInfo] {
        try store.tokens(user: principal.isOperator ? nil : principal.user.id)
    }

    public func revokeToken(_ id: TokenID, by principal: Principal) throws {
        let tokens = try store.tokens(user: principal.isOperator ? nil : principal.user.id)
        guard tokens.contains(where: { $0.id == id }) else { throw ReservoirError.notFound("token", "no token \(id)") }
        try store.revokeToken(id, by: attribution(principal))
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
