import ReservoirCore

/// The demo's port: which tenants and users it seeded (it never acts for anyone else), and seeded history.
public protocol DemoStore: Sendable {
    func markDemo(tenants: [TenantID], users: [UserID]) throws
    func demoSeed() throws -> DemoSeed
    /// Adds finished jobs (and their usage sessions) in one transaction with one audit entry: seeded history.
    func insertHistory(_ jobs: [(job: Job, model: String)], by who: Attribution) throws
}
