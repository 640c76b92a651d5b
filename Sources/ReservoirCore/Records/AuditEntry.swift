/// One line of the audit log: who did what to which object, with the changed fields before and after.
public struct AuditEntry: Codable, Hashable, Sendable {
    public var id: Int64
    public var at: Double
    public var actor: String
    public var action: String
    public var object: String
    public var tenant: String?
    /// JSON of the fields a change changed, as they were (nil for creations).
    public var before: String?
    /// JSON of the fields a change changed, as they are now; the whole object for creations (nil for deletions).
    public var after: String?

    public init(id: Int64, at: Double, actor: String, action: String, object: String, tenant: String?, before: String?, after: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.object = object
        self.tenant = tenant
        self.before = before
        self.after = after
    }
}
