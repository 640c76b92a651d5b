/// Who made a change and when; every write carries one so the audit log is never skipped.
public struct Attribution: Sendable, Hashable {
    public var actor: String
    public var at: Double
    /// The actor of the reconciler's repairs after a restart (`system:reconciler`); usage segments it closes
    /// from the engine's records say so (`UsageCloseReason.reconciled`).
    public static let reconciler = "system:reconciler"

    public init(actor: String, at: Double) {
        self.actor = actor
        self.at = at
    }
}
