import ReservoirCore

extension RequestsContext {
    /// The emergency green channel (SPEC §5.6): an emergency approver opens it for an incident with a
    /// request form that names `emergency` (category, incident, description). The approver decides alone,
    /// so the request is approved in the same call and becomes a P0 grant (the configured emergency
    /// length unless the form says how long); a `job` in the body starts under it at once. Only the
    /// `emergency.open` rule admits the caller — for any tenant, as the policy says.
    public func openEmergency(_ submission: RequestSubmission, idempotencyKey: String? = nil, by principal: Principal) throws -> RequestReply {
        try access.requireAny(principal, .openEmergency)
        guard submission.form.emergency != nil else {
            throw ReservoirError.invalid("emergency", "is required: the green channel opens for an incident (category, incident, description)")
        }
        return try submit(submission, idempotencyKey: idempotencyKey, by: principal, as: .openEmergency)
    }
}
