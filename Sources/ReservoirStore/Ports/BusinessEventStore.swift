import ReservoirCore

/// The planning context's port for known business events (migration `v16-business-events`).
public protocol BusinessEventStore: Sendable {
    /// Stores a new event with its audit entry and returns it with its assigned id.
    func addBusinessEvent(_ event: BusinessEventRecord, by who: Attribution) throws -> BusinessEventRecord
    /// Every registered event, by start then id.
    func businessEvents() throws -> [BusinessEventRecord]
    /// Withdraws an event (with its audit entry); nil when no event has that id.
    func deleteBusinessEvent(_ id: String, by who: Attribution) throws -> BusinessEventRecord?
}
