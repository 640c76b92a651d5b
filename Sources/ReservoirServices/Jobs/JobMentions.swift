import ReservoirCore
import ReservoirStore

/// Other tenants' jobs and tenants, as a member may hear of them. Pending reasons, decisions and
/// events are written once by the scheduler for everyone ("fits now, but would delay job
/// job-000042"); a member reads them with another tenant's job id replaced by "a P1 job of another
/// tenant" and another tenant's name by "another tenant". Operators and finance read them as written.
struct JobMentions {
    let store: any JobReader
    let principal: Principal
    /// Whether the principal reads every tenant's jobs as written (the policy decides).
    let readsAllTenants: Bool
    private var known: [JobID: Job?] = [:]

    init(store: any JobReader, principal: Principal, access: AccessPolicy) {
        self.store = store
        self.principal = principal
        self.readsAllTenants = access.readsAllTenants(principal)
    }

    /// The job with its reason and message told to the principal.
    mutating func shown(_ job: Job) throws -> Job {
        guard !readsAllTenants else { return job }
        var job = job
        if let reason = job.reason { job.reason?.message = try told(reason.message) }
        if let message = job.message { job.message = try told(message) }
        // The jobs a grant's job preempted: a member hears only of its own tenant's.
        if let preempted = job.preempted { job.preempted = try preempted.filter { try lookUp($0)?.tenant == principal.tenant } }
        return job
    }

    private mutating func lookUp(_ id: JobID) throws -> Job? {
        if known[id] == nil { known[id] = try store.job(id) }
        return known[id] ?? nil
    }

    /// A sentence as the principal may read it.
    mutating func told(_ text: String) throws -> String {
        guard !readsAllTenants, text.contains("job-") || text.contains("tenant ") else { return text }
        var out = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            let atWord = !(out.last?.isLetter ?? false) && !(out.last?.isNumber ?? false)
            if atWord, let (phrase, tail) = try otherJob(in: rest) ?? otherTenant(in: rest) {
                out += phrase
                rest = tail
            } else {
                out.append(rest.removeFirst())
            }
        }
        return out
    }

    /// "job job-000042" or "job-000042" at the start of `s`, when it is another tenant's job.
    private mutating func otherJob(in s: Substring) throws -> (String, Substring)? {
        let word = s.hasPrefix("job job-") ? s.dropFirst(4) : s
        guard word.hasPrefix("job-") else { return nil }
        let id = word.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        guard let job = try lookUp(JobID(String(id))), job.tenant != principal.tenant else { return nil }
        return ("a \(job.priority.rawValue) job of another tenant", word.dropFirst(id.count))
    }

    /// "tenant acme" at the start of `s`, when acme is not the principal's tenant.
    private func otherTenant(in s: Substring) -> (String, Substring)? {
        guard s.hasPrefix("tenant ") else { return nil }
        let name = s.dropFirst(7).prefix { !$0.isWhitespace && $0 != "'" && $0 != "," && $0 != ";" && $0 != ":" && $0 != ")" }
        guard !name.isEmpty, TenantID(String(name)) != principal.tenant else { return nil }
        return ("another tenant", s.dropFirst(7 + name.count))
    }
}
