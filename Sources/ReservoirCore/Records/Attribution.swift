/// Who made a change and when; every write carries one so the audit log is never skipped.
public struct Attribution: Sendable, Hashable {
    public var actor: String
    public var at: Double
    public init(actor: String, at: Double) {
        self.actor = actor
        self.at = at
    }
}
