extension ReferenceRun {
    /// The actual cost of a granted training run, once it is over: the GPU-hours its jobs used
    /// (each job's recorded runtime, preempted runs included, × the GPUs it held), for the estimator
    /// to calibrate on beside the published runs. Nil while the run is not over (a job under the grant
    /// is unfinished, or none succeeded) or when the form lacks what 6·P·D needs (parameters, tokens)
    /// or a GPU model: then there is nothing to compare.
    public static func actual(of grant: Grant, request: AllocationRequest, jobs: [Job]) -> ReferenceRun? {
        guard grant.category.kind == .training, let training = request.form.training,
              let parameters = training.parameters, let tokens = training.tokens, parameters > 0, tokens > 0,
              let model = grant.model ?? training.gpuModel else { return nil }
        let mine = jobs.filter { $0.grant == grant.id }
        guard !mine.isEmpty, mine.allSatisfy(\.state.isFinal), mine.contains(where: { $0.state == .succeeded }) else { return nil }
        let gpuSeconds = mine.reduce(0.0) { $0 + ($1.recordedRuntime ?? 0) * Double($1.totalGPUMilli) / 1000 }
        guard gpuSeconds > 0 else { return nil }
        return ReferenceRun(
            name: "\(request.id) (\(training.modelName ?? "training run"))", model: model, parameters: parameters, tokens: tokens,
            gpuHours: gpuSeconds / 3_600, recorded: true)
    }
}
