import Crypto
import Foundation
import ReservoirCore
import ReservoirStore

/// How long a console session lasts: it ends after `idleSeconds` without a request, and at the latest
/// `absoluteSeconds` after sign-in, whatever its use — a forgotten browser does not stay signed in.
public struct ConsoleSessionSettings: Sendable, Hashable {
    public var idleSeconds: Double = 2 * 3_600
    public var absoluteSeconds: Double = 12 * 3_600

    public init(idleSeconds: Double = 2 * 3_600, absoluteSeconds: Double = 12 * 3_600) {
        self.idleSeconds = idleSeconds
        self.absoluteSeconds = absoluteSeconds
    }
}

/// A console session resolved for one request: who acts, and the CSRF token its forms must send back.
public struct SignedIn: Sendable {
    public var principal: Principal
    public var csrf: String
}

/// Web console sign-in: an API token is exchanged for a server-side session (the browser keeps only a
/// random secret in an HttpOnly cookie). The session acts as the token's user for as long as the token
/// is good, and never longer than the session's own idle and absolute limits (`ConsoleSessionSettings`).
/// Sign-in and sign-out are audited with the user as actor; a session that lapses is ended by `system:console`.
public struct ConsoleSessionsContext: ApplicationContext {
    public typealias Store = ConsoleSessionStore
    let store: any Store
    let tokens: AccessContext
    public let runtime: Runtime

    /// Exchanges an API token for a session; returns the cookie's secret (shown to the browser once, stored hashed).
    /// A bad token is an `unauthenticated` error naming the field `token`.
    public func signIn(token: String) throws -> (secret: String, session: SignedIn) {
        let (tokenID, principal): (TokenID, Principal)
        do {
            (tokenID, principal) = try tokens.authenticateWithToken(bearer: token.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch let error as ReservoirError where error.code == .unauthenticated {
            throw ReservoirError(.unauthenticated, field: "token", error.message == "missing or unknown bearer token" ? "unknown token" : error.message)
        }
        let secret = AccessContext.newSecret()
        let csrf = AccessContext.newSecret()
        let now = clock()
        try store.createConsoleSession(
            ConsoleSession(idHash: AccessContext.hash(secret), token: tokenID, user: principal.user.id, csrf: csrf, createdAt: now, lastSeenAt: now),
            by: attribution(principal))
        return (secret, SignedIn(principal: principal, csrf: csrf))
    }

    /// The session behind a cookie's secret, or nil (unknown, lapsed, or its token no longer good: then it is ended here).
    public func session(secret: String) throws -> SignedIn? {
        let idHash = AccessContext.hash(secret)
        guard let session = try store.consoleSession(idHash: idHash) else { return nil }
        let now = clock()
        let settings = configuration.consoleSessions
        if now - session.lastSeenAt >= settings.idleSeconds {
            try store.endConsoleSession(idHash: idHash, reason: "idle for \(Int(settings.idleSeconds)) s", by: system("console"))
            return nil
        }
        if now - session.createdAt >= settings.absoluteSeconds {
            try store.endConsoleSession(idHash: idHash, reason: "older than \(Int(settings.absoluteSeconds)) s", by: system("console"))
            return nil
        }
        let principal: Principal
        do {
            principal = try tokens.authenticate(tokenID: session.token)
        } catch let error as ReservoirError where error.code == .unauthenticated {
            try store.endConsoleSession(idHash: idHash, reason: error.message, by: system("console"))
            return nil
        }
        if now - session.lastSeenAt >= Self.lastSeenResolution {
            try store.touchConsoleSession(idHash: idHash, at: now)
        }
        return SignedIn(principal: principal, csrf: session.csrf)
    }

    /// Ends the session behind a cookie's secret (nothing to do if it is already gone), attributed to its user.
    public func signOut(secret: String, by principal: Principal) throws {
        try store.endConsoleSession(idHash: AccessContext.hash(secret), reason: nil, by: attribution(principal))
    }

    /// Whether `sent` is the session's CSRF token, compared in constant time.
    public static func csrfMatches(_ sent: String?, _ session: SignedIn) -> Bool {
        guard let sent else { return false }
        let a = Array(sent.utf8), b = Array(session.csrf.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A session's last request is written at most this often (seconds), well below any idle limit.
    static let lastSeenResolution: Double = 30
}
