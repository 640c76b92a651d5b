import ReservoirCore

/// Submission-time checks against the inventory: a job that no node could ever hold is refused
/// at once rather than left waiting forever.
enum Feasibility {
    static func requireSomeNodeFits(_ job: Job, pool: PoolID, inventory: Inventory, catalog: GPUCatalog) throws {
        let r = job.request
        let nodes = inventory.nodes.filter { $0.pool == pool }
        let allowed = Set(r.models)
        let fits = nodes.contains { node in
            let usable = node.devices.filter { $0.kind != .cpu && $0.state != .failed }
            let modelOK = r.gpus == 0 || allowed.isEmpty || usable.contains { allowed.contains(catalog.canonicalName($0.model) ?? $0.model) }
            return node.cpuMilli >= r.cpuMilli && node.memoryMiB >= r.memoryMiB && usable.count >= r.gpus && modelOK
        }
        guard fits else {
            let biggest = nodes.map(\.gpuCount).max() ?? 0
            throw ReservoirError(
                .unsatisfiable, field: "request",
                "no node in pool \(pool) could ever hold one replica (\(r.gpus) GPUs, \(r.cpuMilli) mCPU, \(r.memoryMiB) MiB"
                    + (allowed.isEmpty ? "" : ", models \(allowed.sorted().joined(separator: "|"))")
                    + "); the largest node there has \(biggest) GPUs")
        }
    }
}
