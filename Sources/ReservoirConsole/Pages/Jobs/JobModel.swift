import ReservoirCore
import ReservoirServices

/// A job's page: what it is and asks for, its state, `explain` in words, where it runs (replica by replica,
/// linked to the nodes), its timeline (the job's events, oldest first, paged with `events`), and — for
/// whoever may change it while it is unfinished — the cancel and change-class forms.
struct JobModel {
    var data: [String: any Sendable] = [:]

    /// Events per page of the timeline.
    static let eventsPerPage = 100

    static func build(_ request: ConsoleRequest) async throws -> JobModel {
        let reservoir = request.reservoir, principal = request.principal
        let id = JobID(try request.parameter("id"))
        let job = try await seen(request, id) { try reservoir.jobs.job(id, by: principal) }
        let explanation = try reservoir.jobs.explain(id, by: principal)
        let eventsPage = PageRequest(limit: eventsPerPage, cursor: try request.query("events").map { try Cursor(parsing: $0) })
        let events = try reservoir.jobs.jobEvents(id, page: eventsPage, by: principal)

        var model = JobModel()
        model.data["title"] = "Job \(job.id): \(job.name)"
        if !job.state.isFinal { model.data["refresh"] = 10 }
        model.data["id"] = job.id.rawValue
        model.data["state"] = job.state.rawValue
        model.data["facts"] = facts(job)
        model.data["explanation"] = explanation.message
        model.data["explainKind"] = explanation.kind
        let heading: String = switch explanation.kind {
        case "placed": "Why it runs where it runs"
        case "finished": "How it ended"
        default: "Why it waits"
        }
        model.data["explainHeading"] = heading
        model.data["queuePosition"] = explanation.queuePosition.map { "Position \($0) in its pool's queue." }
        model.data["details"] = explanation.details.sorted { $0.key < $1.key }.map { ["cause": $0.key, "count": $0.value] as [String: any Sendable] }
        model.data["hasDetails"] = !explanation.details.isEmpty
        let placements = job.placements.isEmpty ? explanation.placements : job.placements
        model.data["hasPlacements"] = !placements.isEmpty
        model.data["placements"] = placements.sorted { $0.replica < $1.replica }.map { p -> [String: any Sendable] in
            [
                "replica": p.replica, "node": p.node.rawValue, "devices": p.deviceIndices.map { "\($0)" }.joined(separator: ", "),
                "share": p.gpuMilli == 1000 ? "whole GPUs" : "\(p.gpuMilli) thousandths each",
                "mig": p.migStartSlice.map { "from slice \($0)" } ?? "–", "cpu": SVG.figure(Double(p.cpuMilli) / 1000),
                "memory": "\(p.memoryMiB / 1024) GiB",
            ]
        }
        model.data["events"] = events.items.map { e -> [String: any Sendable] in
            ["at": ConsoleFormat.time(e.at), "kind": e.kind, "message": e.message]
        }
        model.data["hasEvents"] = !events.items.isEmpty
        model.data["moreEvents"] = events.next.map { "/console/jobs/\(job.id)?events=\($0)" }
        if eventsPage.cursor != nil { model.data["firstEvents"] = "/console/jobs/\(job.id)" }

        let changeable = !job.state.isFinal && reservoir.runtime.access.allows(principal, .changeJobs, tenant: job.tenant)
        model.data["canCancel"] = changeable
        let raises = reservoir.runtime.access.allows(principal, .raiseToP0, tenant: job.tenant)
        if !job.state.isFinal && (changeable || raises) {
            let classes = PriorityClass.allCases.filter { $0 == .p0 ? raises : changeable }
            model.data["classChoice"] = ChoiceField(
                "priority", label: "Priority class", choices: classes.map { ($0.rawValue, "\($0.rawValue) — \($0.title)") },
                selected: job.priority.rawValue)
        }
        return model
    }

    /// The job's facts as label/value rows (links where there is a page to go to).
    private static func facts(_ job: Job) -> [[String: any Sendable]] {
        func row(_ label: String, _ value: String, link: String? = nil) -> [String: any Sendable] {
            var row: [String: any Sendable] = ["label": label, "value": value]
            row["link"] = link
            return row
        }
        let ask = job.request
        var gpus = ask.gpus == 0 ? "no GPU" : ask.gpuMilli < 1000 ? "\(ask.gpuMilli) thousandths of a GPU" : "\(ask.gpus) GPU\(ask.gpus == 1 ? "" : "s")"
        if let profile = ask.migProfile { gpus = "MIG instance \(profile)" }
        if !ask.models.isEmpty { gpus += " (\(ask.models.joined(separator: " or ")))" }
        var rows = [
            row("Tenant", job.tenant.rawValue), row("Submitted by", job.submittedBy.rawValue),
            row("Pool", job.pool?.rawValue ?? "–", link: job.pool.map { "/console/pools/\($0)" }),
            row("Kind", job.kind.rawValue), row("Priority class", "\(job.priority.rawValue) (\(job.priority.title))\(job.preemptible ? ", preemptible" : "")"),
            row("Replicas", job.minMembers == job.replicas ? "\(job.replicas)" : "\(job.replicas) (at least \(job.minMembers) together)"),
            row("Each replica asks", "\(gpus), \(SVG.figure(Double(ask.cpuMilli) / 1000)) CPU, \(ask.memoryMiB / 1024) GiB memory"),
            row("Submitted", ConsoleFormat.time(job.submittedAt)),
        ]
        if let started = job.startedAt { rows.append(row("Started", ConsoleFormat.time(started))) }
        if let finished = job.finishedAt { rows.append(row("Finished", ConsoleFormat.time(finished))) }
        if let runtime = job.runtimeSeconds { rows.append(row("Declared runtime", ConsoleFormat.duration(runtime))) }
        if let service = job.service { rows.append(row("Replica of service", service.rawValue, link: "/console/services/\(service)")) }
        if let grant = job.grant { rows.append(row("Runs under grant", grant.rawValue, link: "/console/grants/\(grant)")) }
        if let command = job.command {
            rows.append(row("Runs", command.script ?? (command.argv ?? []).joined(separator: " ")))
        }
        if let message = job.message { rows.append(row("Message", message)) }
        return rows
    }

    /// Runs a use case on job `id`; when it answers "no such job" to a user who sees only its own tenant's
    /// jobs, the answer is the 403 page: that user may not open other tenants' jobs, and a missing id and
    /// another tenant's look alike (the use case decided which jobs it may see; no id leaks either way).
    static func seen<T>(_ request: ConsoleRequest, _ id: JobID, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ReservoirError where error.code == .notFound && error.field == "id" {
            throw refusal(request, id, error)
        }
    }

    private static func refusal(_ request: ConsoleRequest, _ id: JobID, _ error: ReservoirError) -> ReservoirError {
        guard request.reservoir.runtime.access.scope(request.principal, .readJobs) < .anyTenant else { return error }
        return ReservoirError(.permissionDenied, field: "id", "job \(id) is not one of the jobs \(request.principal.user.id) may open (its tenant's)")
    }
}
