import ReservoirCore
import ReservoirServices

/// `/console/jobs`: the job list (filters, keyset paging), the submission form, and a job's page with its
/// timeline, placement and explanation, where it can be cancelled or moved to another priority class.
/// Every handler calls the use cases `JobsController` calls, with the signed-in principal.
struct JobsPages: ConsolePageGroup {
    static let list = ConsolePage(id: "jobs", title: "Jobs", section: .jobs, action: .readJobs, navPath: "/console/jobs")
    static let new = ConsolePage(id: "new-job", title: "Submit a job", section: .jobs, action: .submitJobs)
    static let job = ConsolePage(id: "job", title: "Job", section: .jobs, action: .readJobs)

    var pages: [ConsolePage] { [Self.list, Self.new, Self.job] }
    var templates: [String: String] {
        ["jobs": JobsTemplates.list, "new-job": JobsTemplates.form, "job": JobsTemplates.job, "control": FormControl.template]
    }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/jobs", Self.list) { request in
            .render(Self.list, "jobs", try JobListModel.build(request))
        }
        routes.get("/console/jobs/new", Self.new) { request in
            .render(Self.new, "new-job", try JobForm(request).data(error: nil))
        }
        routes.post("/console/jobs", Self.new, fields: JobForm.fields) { request in
            let form = JobForm(request)
            do {
                let job = try await request.reservoir.jobs.submitDurably(try form.submission(), by: request.principal)
                return .seeOther("/console/jobs/\(job.id)", flash: "Job \(job.id) submitted.")
            } catch let error as ReservoirError where error.field != nil || error.code != .permissionDenied {
                return .render(Self.new, "new-job", try form.data(error: error), status: error.httpStatus)
            }
        }
        routes.get("/console/jobs/{id}", Self.job) { request in
            let model = try await JobModel.build(request)
            return .render(Self.job, "job", model.data)
        }
        routes.post("/console/jobs/{id}/cancel", Self.job, fields: []) { request in
            let id = JobID(try request.parameter("id"))
            let job = try await JobModel.seen(request, id) { try await request.reservoir.jobs.cancel(id, by: request.principal) }
            return .seeOther("/console/jobs/\(id)", flash: job.state == .cancelled ? "Job \(id) cancelled." : "Cancelling job \(id): \(job.message ?? "asked of its engine").")
        }
        routes.post("/console/jobs/{id}/class", Self.job, fields: ["priority"]) { request in
            let id = JobID(try request.parameter("id"))
            let text = try request.form.required("priority")
            guard let priority = PriorityClass(rawValue: text) else {
                throw ReservoirError.invalid("priority", "one of \(PriorityClass.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
            }
            _ = try await JobModel.seen(request, id) { try request.reservoir.jobs.setPriority(id, to: priority, by: request.principal) }
            return .seeOther("/console/jobs/\(id)", flash: "Job \(id) is now \(priority.rawValue) (\(priority.title)).")
        }
    }
}
