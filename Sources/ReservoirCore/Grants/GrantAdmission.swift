import Foundation

extension Grant {
    /// Checks a job submitted under the grant and settles what the grant decides for it, before it is
    /// stored: the job must be the grant's tenant's, arrive while the grant admits work, run in its pool
    /// (and model: an empty model list becomes the grant's), in its class, and fit beside the grant's
    /// `unfinished` jobs. The scheduler then admits it against the effective quota like any job; these
    /// checks are what makes the grant's own size and window hold for the work that names it.
    /// - Parameter unfinished: the grant's jobs not yet final (queued, admitted, running, preempted).
    public func admit(_ job: inout Job, unfinished: [Job], at time: Double) throws(ReservoirError) {
        guard job.tenant == tenant else {
            throw ReservoirError(.conflict, field: "grant", "grant \(id) is tenant \(tenant)'s; a job of tenant \(job.tenant) cannot run under it")
        }
        guard state == .active else {
            throw ReservoirError(.conflict, field: "grant", "grant \(id) is \(state.rawValue) and admits no new work")
        }
        if let endsAt, time >= endsAt {
            throw ReservoirError(.conflict, field: "grant", "grant \(id) ended at \(InstantText.iso(endsAt)), admits no new work")
        }
        guard time >= startsAt else {
            throw ReservoirError(.conflict, field: "grant", "grant \(id) opens at \(InstantText.iso(startsAt)); submit its work from then on")
        }
        guard job.pool == pool else {
            throw ReservoirError.invalid("pool", "jobs under grant \(id) run in its pool \(pool); omit pool or name \(pool)")
        }
        if let model {
            if job.request.models.isEmpty {
                job.request.models = [model]
            } else if job.request.models != [model] {
                throw ReservoirError.invalid("request.models", "grant \(id) is for \(model); omit request.models or name only \(model)")
            }
        }
        guard job.priority == priority else {
            throw ReservoirError.invalid("priority", "jobs under grant \(id) run in its class \(priority.rawValue); omit priority or give \(priority.rawValue)")
        }
        let held = unfinished.filter { $0.grant == id && $0.id != job.id }.reduce(0) { $0 + $1.totalGPUMilli }
        guard held + job.totalGPUMilli <= gpuMilli else {
            throw ReservoirError(
                .conflict, field: "request.gpus",
                "grant \(id) holds \(Self.gpus(gpuMilli)) GPUs; its unfinished jobs ask \(Self.gpus(held)) and this one \(Self.gpus(job.totalGPUMilli))")
        }
        job.grant = id
    }

    static func gpus(_ milli: Int) -> String { milli % 1000 == 0 ? "\(milli / 1000)" : "\(Double(milli) / 1000)" }
}
