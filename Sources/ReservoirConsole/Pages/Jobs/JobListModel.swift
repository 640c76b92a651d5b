import Foundation
import ReservoirCore
import ReservoirServices

/// The job list: filters (state, pool, and tenant for those who read every tenant's jobs) as GET query
/// parameters, newest first, one page at a time with the list's keyset cursor (`cursor`), as `GET /v1/jobs`.
enum JobListModel {
    static let pageSize = 50

    static func build(_ request: ConsoleRequest) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let state = try request.query("state").map { text in
            guard let state = JobState(rawValue: text) else {
                throw ReservoirError.invalid("state", "one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
            }
            return state
        }
        let allTenants = reservoir.runtime.access.scope(principal, .readJobs) == .anyTenant
        let tenant = allTenants ? request.query("tenant") : nil
        let pool = request.query("pool")
        let filter = JobListFilter(tenant: tenant.map { TenantID($0) }, states: state.map { [$0] }, pool: pool.map { PoolID($0) })
        let page = PageRequest(limit: pageSize, cursor: try request.query("cursor").map { try Cursor(parsing: $0) })
        let jobs = try reservoir.jobs.listJobs(filter, page: page, by: principal)
        let total = try reservoir.jobs.countJobs(filter, by: principal)

        var filters = [
            ChoiceField("state", label: "State", choices: [("", "Any state")] + JobState.allCases.map { ($0.rawValue, $0.rawValue) }, selected: state?.rawValue),
        ]
        if allTenants {
            let tenants = try Page.all { try reservoir.tenancy.listTenants(page: $0, by: principal) }.map(\.id.rawValue).sorted()
            filters.append(ChoiceField("tenant", label: "Tenant", choices: [("", "Any tenant")] + tenants.map { ($0, $0) }, selected: tenant))
        }
        let pools = try reservoir.inventory.poolViews(by: principal).map(\.id).sorted()
        filters.append(ChoiceField("pool", label: "Pool", choices: [("", "Any pool")] + pools.map { ($0, $0) }, selected: pool))

        let kept = [("state", state?.rawValue), ("tenant", tenant), ("pool", pool)].compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? "")" }
        }
        let scopeNote = allTenants ? "Every tenant's jobs." : principal.tenant.map { "Tenant \($0)'s jobs." } ?? ""
        var data: [String: any Sendable] = [
            "filters": filters, "total": total, "shown": jobs.items.count, "hasJobs": !jobs.items.isEmpty,
            "canSubmit": request.may(.submitJobs),
            "scopeNote": scopeNote,
            "jobs": jobs.items.map(row),
        ]
        data["next"] = jobs.next.map { "/console/jobs?" + (kept + ["cursor=\($0)"]).joined(separator: "&") }
        if page.cursor != nil { data["first"] = "/console/jobs" + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")) }
        return data
    }

    private static func row(_ job: Job) -> [String: any Sendable] {
        let gpus = Double(job.totalGPUMilli) / 1000
        return [
            "id": job.id.rawValue, "name": job.name, "tenant": job.tenant.rawValue, "pool": job.pool?.rawValue ?? "–",
            "state": job.state.rawValue, "priority": job.priority.rawValue, "gpus": SVG.figure(gpus, digits: 3),
            "submitted": ConsoleFormat.time(job.submittedAt),
        ]
    }
}
