import Hummingbird
import ReservoirCore
import ReservoirServices

/// Jobs: submit (JSON or YAML), list, show, change priority, cancel, explain, events, logs.
struct JobsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/jobs", "List jobs, newest first (filter: state, tenant, pool, since, until: Unix seconds); header X-Total-Count: all that match", action: .readJobs,
                query: [
                    QueryParameter("state", .cases(JobState.self), "Only jobs in this state"), .id("tenant", "Only jobs of this tenant (members: their own)"),
                    .id("pool", "Only jobs of this pool"), .since("Only jobs submitted since then"),
                    QueryParameter("until", Schema.number().described("Unix seconds"), "Only jobs submitted before then"),
                ],
                answers: .page(of: Components.job, headers: [.totalCount]), errors: [.forbidden]
            ) { r, _, p in
                let state = try r.query("state").map { s in
                    guard let v = JobState(rawValue: s) else { throw ReservoirError.invalid("state", "one of \(JobState.allCases.map(\.rawValue))") }
                    return v
                }
                let filter = JobListFilter(
                    tenant: r.query("tenant").map { TenantID($0) }, states: state.map { [$0] }, pool: r.query("pool").map { PoolID($0) },
                    since: try r.time("since"), until: try r.time("until"))
                let page = try r.page(defaultLimit: 500)
                // Read, decoded and encoded off the cooperative pool at low CPU priority (`Offload.read`): a
                // client listing 1,000 jobs in a loop takes the CPU that submissions leave, not theirs.
                let jobs = reservoir.jobs
                return try await Offload.read {
                    var response = try Coding.page(try jobs.listJobs(filter, page: page, by: p), for: r, page)
                    response.headers[Coding.totalCount] = String(try jobs.countJobs(filter, by: p))
                    return response
                }
            },
            APIRoute(.post, "/v1/jobs", "Submit a job (JSON, or YAML with Content-Type: application/yaml)", action: .submitJobs,
                body: .decoded(Components.jobSubmission), query: [.idempotencyKey], answers: .created(Components.job), errors: [.forbidden, .notFound, .conflict, .unprocessableContent]
            ) { r, c, p in
                let submission = try await Coding.decode(JobSubmission.self, from: r, context: c)
                return try Coding.json(try await reservoir.jobs.submitDurably(submission, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.post, "/v1/jobs/cancel", "Cancel every unfinished job matching a filter (tenant, state, pool); members only within their tenant", action: .changeJobs,
                body: .decoded(Components.jobFilter), answers: .ok(Components.cancelledJobs), errors: [.forbidden]
            ) { r, c, p in
                let filter = try await Coding.decode(JobFilter.self, from: r, context: c)
                let ids = try await reservoir.jobs.cancelJobs(
                    tenant: filter.tenant.map { TenantID($0) }, state: filter.state, pool: filter.pool.map { PoolID($0) }, by: p)
                return try Coding.json(CancelledJobs(cancelled: ids.map(\.rawValue)))
            },
            APIRoute(.get, "/v1/jobs/{id}", "Show a job", action: .readJobs,
                answers: .ok(Components.job)
            ) { _, c, p in
                let (jobs, id) = (reservoir.jobs, JobID(try c.parameter("id")))
                return try Coding.json(try await Offload.run { try jobs.job(id, by: p) })
            },
            APIRoute(.patch, "/v1/jobs/{id}", "Change a job's priority class", action: .changeJobs,
                body: .decoded(Components.jobChange), answers: .ok(Components.job), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let change = try await Coding.decode(JobChange.self, from: r, context: c)
                return try Coding.json(try reservoir.jobs.setPriority(JobID(try c.parameter("id")), to: change.priority, by: p))
            },
            APIRoute(.get, "/v1/jobs/{id}/explain", "Why a job waits, or why it runs where it runs", action: .readJobs,
                answers: .ok(Components.explanation)
            ) { _, c, p in
                try Coding.json(try reservoir.jobs.explain(JobID(try c.parameter("id")), by: p))
            },
            APIRoute(.post, "/v1/jobs/{id}/cancel", "Cancel a job", action: .changeJobs,
                answers: .ok(Components.job), errors: [.forbidden, .conflict]
            ) { _, c, p in
                try Coding.json(try await reservoir.jobs.cancel(JobID(try c.parameter("id")), by: p))
            },
            APIRoute(.get, "/v1/jobs/{id}/events", "A job's history, oldest first: submitted, admitted, running, preempted…", action: .readJobs,
                answers: .page(of: Components.jobEvent)
            ) { r, c, p in
                let page = try r.page()
                return try Coding.page(try reservoir.jobs.jobEvents(JobID(try c.parameter("id")), page: page, by: p), for: r, page)
            },
            APIRoute(
                .get, "/v1/jobs/{id}/logs",
                "A job's output (stdout and stderr), from byte `offset` (default 0), at most `limit` bytes (default and most 1 MiB). Follow it by polling with `offset` = the answer's `nextOffset` until `complete` is true.",
                action: .readJobs,
                query: [QueryParameter("offset", .integer(minimum: 0), "Byte offset to read from (default 0)"), QueryParameter("limit", .integer(1...JobsContext.logChunkLimit), "Most bytes to read (default and most 1 MiB)")], answers: .ok(Components.jobLogs), errors: [.serviceUnavailable]
            ) { r, c, p in
                try Coding.json(try await reservoir.jobs.jobLogs(
                    JobID(try c.parameter("id")), from: try r.query("offset", as: Int.self) ?? 0, limit: try r.query("limit", as: Int.self), by: p))
            },
        ]
    }
}

struct JobChange: Codable { var priority: PriorityClass }

/// Which jobs a bulk cancel applies to; at least one field is required.
struct JobFilter: Codable {
    var tenant: String?
    var state: JobState?
    var pool: String?
}
