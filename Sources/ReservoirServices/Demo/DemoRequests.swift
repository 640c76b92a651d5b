import ReservoirCore

/// The demo's resource requests: one in every resting state of the life cycle, made through the same
/// use cases as the API (the past ones on a clock set back, so the grant-expiry pass and the review
/// escalation of the running server finish them live), and the reviewers and rules they need.
enum DemoRequests {
    /// The nlp tenant's manager, and the strategic-reserve committee.
    static let reviewers = [
        User(id: "nlp-lead", tenant: "nlp", roles: [.approver]), User(id: "committee-a", roles: [.approver]),
        User(id: "committee-b", roles: [.approver]),
    ]

    static func training(
        _ category: RequestCategory, project: String, goal: String, model: String, parameters: Double, tokens: Double, gpuModel: String,
        gpus: Int, hours: Double?, pool: String
    ) -> RequestForm {
        var form = RequestForm(kind: .training, category: category)
        form.department = "Grid AI"
        form.project = project
        form.contact = "\(project)@example.com"
        form.businessGoal = goal
        form.businessValue = "Part of the demo's request history"
        form.pool = PoolID(pool)
        var details = TrainingDetails()
        details.modelName = model
        details.modelType = "llm"
        details.framework = "PyTorch"
        details.parameters = parameters
        details.tokens = tokens
        details.datasetType = "text"
        details.gpuModel = gpuModel
        details.gpus = gpus
        details.durationHours = hours
        details.frequency = .once
        form.training = details
        return form
    }

    static func onlineService(project: String, peakQPS: Double, gpus: Int, pool: String) -> RequestForm {
        var form = RequestForm(kind: .inference, category: .online)
        form.department = "Customer Service"
        form.project = project
        form.contact = "\(project)@example.com"
        form.businessGoal = "Serve \(project) around the clock"
        form.businessValue = "Part of the demo's request history"
        form.pool = PoolID(pool)
        var details = InferenceDetails()
        details.modelName = project
        details.inputFormat = "json"
        details.outputFormat = "json"
        details.sla = RequestSLA(meanLatencyMs: 80, p99LatencyMs: 200, peakQPS: peakQPS, meanQPS: peakQPS / 3)
        details.haReplicas = 1
        details.gpuModel = "L40S"
        details.gpus = gpus
        form.inference = details
        return form
    }
}

extension DemoContext {
    /// Seeds the requests: expired (a past auto-approved grant), overdue and escalated (a past review
    /// nobody picked up), granted with its job running, approved with changes, under review by HQ and by
    /// the committee (one approval of two), rejected by a reviewer and by a compliance rule, withdrawn, and
    /// a green-channel grant opened by the emergency approver.
    func seedRequests() throws {
        func member(_ tenant: String) -> Principal { Principal(user: User(id: UserID("\(tenant)-member"), tenant: TenantID(tenant), roles: [.member])) }
        let users = try store.users(tenant: nil)
        /// Reviews as the demo reviewer the request is routed to (`preferring` when it is one of them):
        /// the rules of the configuration file decide who that is, as for any request.
        func review(_ reply: RequestReply, _ input: ReviewInput, preferring: UserID? = nil) throws {
            let routed = reply.request.request.routing?.reviewers ?? []
            let demoReviewers = Set((DemoRequests.reviewers + [User(id: "approver", roles: [.approver])]).map(\.id))
            guard let id = routed.first(where: { $0 == preferring }) ?? routed.first(where: demoReviewers.contains),
                  let user = users.first(where: { $0.id == id }) else { return }
            _ = try requests.review(reply.request.request.id, input, by: Principal(user: user))
        }
        let day = 86_400.0

        // Nine days ago, two A100 for two days: approved at once; the grant-expiry pass expires it.
        _ = try requests.earlier(by: 9 * day).submit(RequestSubmission(form: DemoRequests.training(
            .fineTuning, project: "ticket-summaries", goal: "Fine-tune a summariser on outage tickets", model: "llama-3-8b-tickets",
            parameters: 8e9, tokens: 2e8, gpuModel: "A100-80GB", gpus: 2, hours: 48, pool: "bj-training")), by: member("nlp"))
        // Five days ago, sixteen A100 for five days, to nlp's manager, never picked up: escalated to HQ.
        _ = try requests.earlier(by: 5 * day).submit(RequestSubmission(form: DemoRequests.training(
            .fineTuning, project: "dispatch-assistant", goal: "Fine-tune the dispatch assistant on a year of logs", model: "qwen-14b-dispatch",
            parameters: 1.4e10, tokens: 3e9, gpuModel: "A100-80GB", gpus: 16, hours: 120, pool: "bj-training")), by: member("nlp"))

        // Now: a small request with its job, granted and running.
        let job = JobSubmission(
            name: "defect-detector-finetune", tenant: nil, pool: nil, kind: .training, priority: nil, preemptible: nil, replicas: 1,
            minMembers: nil, runtimeSeconds: 6 * 3_600,
            request: .init(gpus: 2, gpuMilli: 1_000, cpuMilli: 16_000, memoryMiB: 65_536, models: nil, migProfile: nil, nodeSelector: nil, tolerations: nil))
        _ = try requests.submit(RequestSubmission(form: DemoRequests.training(
            .fineTuning, project: "defect-detector", goal: "Fine-tune the insulator defect detector", model: "vit-l-defects",
            parameters: 3e8, tokens: 1e9, gpuModel: "A100-80GB", gpus: 2, hours: 24, pool: "bj-training"), job: job), by: member("vision"))
        // Eight H100 for five days: nlp's manager approves four for three days.
        let changed = try requests.submit(RequestSubmission(form: DemoRequests.training(
            .fineTuning, project: "grid-qa", goal: "Fine-tune the grid Q&A model", model: "llama-3-70b-grid-qa",
            parameters: 7e10, tokens: 1e9, gpuModel: "H100-80GB", gpus: 8, hours: 120, pool: "bj-training")), by: member("nlp"))
        try review(changed, ReviewInput(
            verdict: .approveWithChanges, reason: "four H100 are enough for 1B tokens; three days, then ask again",
            changes: TermChanges(gpus: 4, durationHours: 72)))
        // Sixteen H100 for vision: vision has no manager, so HQ operations review it; still waiting.
        _ = try requests.submit(RequestSubmission(form: DemoRequests.training(
            .fineTuning, project: "multimodal-inspection", goal: "Fine-tune a multimodal line-inspection model", model: "llava-34b-lines",
            parameters: 3.4e10, tokens: 5e9, gpuModel: "H100-80GB", gpus: 16, hours: 96, pool: "bj-training")), by: member("vision"))
        // An online service for search, rejected by HQ with a reason.
        let service = try requests.submit(RequestSubmission(form: DemoRequests.onlineService(
            project: "query-rewriter", peakQPS: 900, gpus: 8, pool: "bj-inference")), by: member("search"))
        try review(service, ReviewInput(verdict: .reject, reason: "the search-ranker service has headroom for this; share it instead"), preferring: "approver")
        // Research on the strategic reserve: refused at intake by a compliance rule.
        _ = try requests.submit(RequestSubmission(form: DemoRequests.training(
            .research, project: "sparse-attention", goal: "Explore sparse attention at scale", model: "sparse-7b",
            parameters: 7e9, tokens: 1e11, gpuModel: "H200", gpus: 16, hours: 72, pool: "sh-training")), by: member("research"))
        // An L1 run on the strategic reserve: the committee decides; one approval of two so far.
        let l1 = try requests.submit(RequestSubmission(form: DemoRequests.training(
            .largeModel, project: "grid-llm-70b", goal: "Pretrain the company's 70B grid language model", model: "grid-llm-70b",
            parameters: 7e10, tokens: 2e12, gpuModel: "H200", gpus: 32, hours: nil, pool: "sh-training")), by: member("nlp"))
        if l1.request.request.routing?.tier == .committee {
            try review(l1, ReviewInput(verdict: .approve, reason: "the company's model; worth the reserve"), preferring: "committee-a")
        }
        // Asked and taken back.
        let withdrawn = try requests.submit(RequestSubmission(form: DemoRequests.training(
            .fineTuning, project: "pole-counter", goal: "Fine-tune a pole counter", model: "yolo-poles",
            parameters: 6e7, tokens: 1e8, gpuModel: "V100-32GB", gpus: 8, hours: 100, pool: "bj-testing")), by: member("vision"))
        _ = try requests.withdraw(withdrawn.request.request.id, reason: "a pretrained model does the job", by: member("vision"))
        // The green channel: the emergency approver opens a P0 grant for search's outage on the inference pool's reserve.
        if let emergency = users.first(where: { $0.id == "emergency" && $0.roles.contains(.emergencyApprover) }),
           let category = configuration.requests.emergency.categories.first {
            var form = DemoRequests.onlineService(project: "outage-hotline-bot", peakQPS: 400, gpus: 4, pool: "bj-inference")
            form.tenant = "search"
            form.inference?.durationHours = 24
            form.emergency = EmergencyDetails(category: category, incident: "INC-20261204-017", description: "storm outage: the hotline bot must scale now")
            _ = try requests.openEmergency(RequestSubmission(form: form), by: Principal(user: emergency))
        }
    }
}

extension RequestSettings {
    /// The rules `serve --demo` uses: these, with a committee of the two demo reviewers and the Shanghai
    /// training pool as the strategic reserve where the file sets none.
    public func withDemoDefaults() -> RequestSettings {
        var settings = self
        if settings.approval.committee.isEmpty { settings.approval.committee = ["committee-a", "committee-b"] }
        if settings.compliance.strategicReservePools.isEmpty { settings.compliance.strategicReservePools = ["sh-training"] }
        return settings
    }
}
