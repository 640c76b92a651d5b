import Hummingbird
import ReservoirCore
import ReservoirServices

/// Jobs: submit (JSON or YAML), list, show, change priority, cancel, explain, events, logs.
struct JobsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/jobs", "List jobs, newest first (filter: state, tenant, pool, since, until: Unix seconds; limit, cursor: pages, Link rel=next); header X-Total-Count: all that match", action: .readJobs) { r, _, p in
                let state = try r.query("state").map { s in
                    guard let v = JobState(rawValue: s) else { throw ReservoirError.invalid("state", "one of \(JobState.allCases.map(\.rawValue))") }
                    return v
                }
                let filter = JobListFilter(
                    tenant: r.query("tenant").map { TenantID($0) }, states: state.map { [$0] }, pool: r.query("pool").map { PoolID($0) },
                    since: try r.time("since"), until: try r.time("until"))
                let page = try r.page(defaultLimit: 500)
                var response = try Coding.page(try reservoir.jobs.listJobs(filter, page: page, by: p), for: r, page)
                response.headers[Coding.totalCount] = String(try reservoir.jobs.countJobs(filter, by: p))
                return response
            },
            APIRoute(.post, "/v1/jobs", "Submit a job (JSON, or YAML with Content-Type: application/yaml)", action: .submitJobs, body: "JobSubmission") { r, c, p in
                let submission = try await Coding.decode(JobSubmission.self, from: r, context: c)
                return try Coding.json(try reservoir.jobs.submit(submission, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.post, "/v1/jobs/cancel", "Cancel every unfinished job matching a filter (tenant, state, pool); members only within their tenant", action: .changeJobs, body: "JobFilter") { r, c, p in
                let filter = try await Coding.decode(JobFilter.self, from: r, context: c)
                let ids = try await reservoir.jobs.cancelJobs(
                    tenant: filter.tenant.map { TenantID($0) }, state: filter.state, pool: filter.pool.map { PoolID($0) }, by: p)
                return try Coding.json(CancelledJobs(cancelled: ids.map(\.rawValue)))
            },
            APIRoute(.get, "/v1/jobs/{id}", "Show a job", action: .readJobs) { _, c, p in try Coding.json(try reservoir.jobs.job(JobID(try c.parameter("id")), by: p)) },
            APIRoute(.patch, "/v1/jobs/{id}", "Change a job's priority class", action: .changeJobs, body: "JobChange") { r, c, p in
                let change = try await Coding.decode(JobChange.self, from: r, context: c)
                return try Coding.json(try reservoir.jobs.setPriority(JobID(try c.parameter("id")), to: change.priority, by: p))
            },
            APIRoute(.get, "/v1/jobs/{id}/explain", "Why a job waits, or why it runs where it runs", action: .readJobs) { _, c, p in
                try Coding.json(try reservoir.jobs.explain(JobID(try c.parameter("id")), by: p))
            },
            APIRoute(.post, "/v1/jobs/{id}/cancel", "Cancel a job", action: .changeJobs) { _, c, p in
                try Coding.json(try await reservoir.jobs.cancel(JobID(try c.parameter("id")), by: p))
            },
            APIRoute(.get, "/v1/jobs/{id}/events", "A job's history: submitted, admitted, running, preempted… oldest first (limit, cursor)", action: .readJobs) { r, c, p in
                let page = try r.page()
                return try Coding.page(try reservoir.jobs.jobEvents(JobID(try c.parameter("id")), page: page, by: p), for: r, page)
            },
            APIRoute(
                .get, "/v1/jobs/{id}/logs",
                "A job's output (stdout and stderr), from byte `offset` (default 0), at most `limit` bytes (default and most 1 MiB). Follow it by polling with `offset` = the answer's `nextOffset` until `complete` is true.",
                action: .readJobs
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
