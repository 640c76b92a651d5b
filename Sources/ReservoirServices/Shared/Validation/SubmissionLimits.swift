import ReservoirCore

extension JobSubmission {
    /// Checks ids, sizes and collections before anything is looked up (so nothing oversized is echoed
    /// back), and refuses a job that asks for nothing: without `gpus` (or a MIG profile) it must state
    /// `cpuMilli` to be a CPU-only job. A typo such as `gpu: 4` would otherwise run as a zero-GPU job.
    public func checkLimits() throws(ReservoirError) {
        if let tenant { try InputLimits.identifier(tenant, field: "tenant") }
        if let pool { try InputLimits.identifier(pool, field: "pool") }
        if let grant { try InputLimits.identifier(grant, field: "grant") }
        if let project { try InputLimits.text(project, field: "project", maxBytes: InputLimits.nameBytes) }
        try InputLimits.name(name, field: "name")
        try request.checkLimits()
    }
}

extension JobSubmission.Request {
    func checkLimits() throws(ReservoirError) {
        let names = models?.names ?? []
        try InputLimits.count(names.count, field: "request.models")
        for (i, model) in names.enumerated() { try InputLimits.text(model, field: "request.models[\(i)]", maxBytes: InputLimits.symbolBytes) }
        if let migProfile { try InputLimits.symbol(migProfile, field: "request.migProfile") }
        try InputLimits.labels(nodeSelector ?? [:], field: "request.nodeSelector")
        try InputLimits.keyValues((tolerations ?? []).map { ($0.key, $0.value) }, field: "request.tolerations")
        guard (gpus ?? 0) != 0 || migProfile != nil || cpuMilli != nil else {
            throw .invalid("request", "asks for no GPUs: set request.gpus (or migProfile), or request.cpuMilli for a CPU-only job")
        }
    }
}
