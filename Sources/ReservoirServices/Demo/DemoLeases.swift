import ReservoirCore

/// The demo's leases (docs/RECLAMATION.md): one in every state (a notice sent, an extension pending,
/// approved and refused, returned, reclaimed at expiry) and a month of reclamation records, all made
/// through the same use cases as the API; the past ones on a clock set back, as `DemoRequests` does.
extension DemoContext {
    func seedLeases() throws {
        let day = 86_400.0
        let operations = Principal(user: User(id: "admin", roles: [.operator_]))
        func member(_ tenant: String) -> Principal { Principal(user: User(id: UserID("\(tenant)-member"), tenant: TenantID(tenant), roles: [.member])) }
        /// A small fine-tuning lease (two A100 for `days`, approved at once by the default rules) asked for `ago` days back.
        func lease(_ tenant: String, _ project: String, ago: Double, days: Double) throws -> Grant? {
            let reply = try requests.earlier(by: ago * day).submit(RequestSubmission(form: DemoRequests.training(
                .fineTuning, project: project, goal: "Fine-tune \(project) (a demo lease)", model: "\(project)-ft",
                parameters: 7e9, tokens: 1e8, gpuModel: "A100-80GB", gpus: 2, hours: days * 24, pool: "bj-training")), by: member(tenant))
            // Rules of a configuration file may route it instead; then that lease is simply not in the demo.
            return reply.request.request.state == .granted ? reply.grant : nil
        }

        // A month of reclamations, each recorded when it happened.
        if let forced = try lease("nlp", "retrieval-probe", ago: 27, days: 5) {
            try reclamations.earlier(by: 25 * day).reclaimGrant(
                forced.id, reason: .forced, actor: "user:admin", approvedBy: "OPS-2611",
                note: "taken back for the outage-forecast emergency; approved in ticket OPS-2611")
        }
        if let expired = try lease("vision", "query-intent", ago: 20, days: 2) {
            try reclamations.earlier(by: 17.5 * day).reclaimGrant(
                expired.id, reason: .expiry, actor: "system:leases", approvedBy: nil, note: "its lease ended; no extension was asked")
        }
        if let returned = try lease("vision", "crack-segmenter", ago: 12, days: 5) {
            try reclamations.earlier(by: 10 * day).reclaimGrant(
                returned.id, reason: .voluntary, actor: "user:vision-member", approvedBy: nil, note: "converged two days early; given back")
        }
        if let returned = try lease("nlp", "meter-notes", ago: 3, days: 5) {
            try reclamations.earlier(by: 1 * day).reclaimGrant(
                returned.id, reason: .voluntary, actor: "user:nlp-member", approvedBy: nil, note: "the smaller model was good enough")
        }

        // Running leases: one in its last day (its 1-day notice goes out below), extensions pending,
        // approved and refused, each judged against the queue waiting for the same A100s.
        _ = try lease("nlp", "outage-faq", ago: 5.5, days: 6)
        if let pending = try lease("vision", "pole-tilt", ago: 4, days: 6) {
            _ = try leases.requestExtension(pending.id, ExtensionInput(days: 2, reason: "the validation set grew; two more days to finish"), by: member("vision"))
        }
        if let approved = try lease("vision", "ranker-distil", ago: 5, days: 6) {
            _ = try leases.requestExtension(approved.id, ExtensionInput(days: 3, reason: "distillation needs three more epochs"), by: member("vision"))
            _ = try leases.decideExtension(approved.id, number: 1, ExtensionDecision(verdict: .approve, reason: "nothing waits for A100 in bj-training"), by: operations)
        }
        if let refused = try lease("nlp", "tokenizer-sweep", ago: 4.5, days: 6) {
            _ = try leases.requestExtension(refused.id, ExtensionInput(days: 3, reason: "one more sweep"), by: member("nlp"))
            _ = try leases.decideExtension(refused.id, number: 1, ExtensionDecision(verdict: .refuse, reason: "the queue for A100 is long; finish with what you have"), by: operations)
        }
        try leases.sendDueNotices()
    }
}

extension ReclamationsContext {
    /// This context on a clock `seconds` behind (the demo's past; see `Runtime.earlier(by:)`).
    func earlier(by seconds: Double) -> ReclamationsContext {
        ReclamationsContext(store: store, runtime: runtime.earlier(by: seconds))
    }
}
