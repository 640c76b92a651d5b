import ReservoirCore

/// A signed-in browser: the web console's server-side session. The cookie holds a random secret;
/// only its hash is kept here, so a copy of the database signs nobody in.
public struct ConsoleSession: Sendable, Hashable {
    /// SHA-256 of the cookie's secret.
    public var idHash: String
    /// The API token the user signed in with: the session lives only as long as that token does.
    public var token: TokenID
    public var user: UserID
    /// The session's anti-forgery token, sent back in every form.
    public var csrf: String
    public var createdAt: Double
    public var lastSeenAt: Double

    public init(idHash: String, token: TokenID, user: UserID, csrf: String, createdAt: Double, lastSeenAt: Double) {
        self.idHash = idHash
        self.token = token
        self.user = user
        self.csrf = csrf
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}

/// The console sessions' port: durable, so a restart of the server signs nobody out.
public protocol ConsoleSessionStore: Sendable {
    /// Stores a new session and records the sign-in in the audit log, in one transaction.
    func createConsoleSession(_ session: ConsoleSession, by who: Attribution) throws
    func consoleSession(idHash: String) throws -> ConsoleSession?
    /// Records the session's last request (its idle expiry counts from here). Not audited: bookkeeping.
    func touchConsoleSession(idHash: String, at: Double) throws
    /// Deletes the session and records the sign-out in the audit log; `reason` says why a session ended that nobody signed out of.
    func endConsoleSession(idHash: String, reason: String?, by who: Attribution) throws
}
