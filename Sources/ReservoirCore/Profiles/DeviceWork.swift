/// What recent jobs did on each device: how many jobs of each kind held it, and the mean runtime of
/// those that finished. Built one job at a time (`add`), so the store can stream a month of history
/// into it without holding the jobs (100,000 of them made a server's start peak near 400 MB).
public struct DeviceWork: Hashable, Sendable {
    public struct Use: Hashable, Sendable {
        public var kinds: [String: Int] = [:]
        public var runtimeTotal = 0.0
        public var finished = 0
        public var meanRuntime: Double? { finished > 0 ? runtimeTotal / Double(finished) : nil }
    }

    public private(set) var byDevice: [DeviceID: Use] = [:]

    public init() {}

    /// The work of `jobs`, in their order.
    public init(_ jobs: [Job]) {
        for job in jobs { add(kind: job.kind, state: job.state, runtime: job.recordedRuntime, placements: job.placements) }
    }

    /// One job: its kind counts once on each device it held (a device shared by two of its replicas
    /// once), and its recorded runtime, when it is final, joins each device's mean.
    public mutating func add(kind: WorkloadKind, state: JobState, runtime: Double?, placements: [ReplicaPlacement]) {
        let runtime = state.isFinal ? runtime : nil
        var seen = Set<DeviceID>()
        for p in placements {
            for index in p.deviceIndices {
                let id = Device.id(node: p.node, index: index)
                guard seen.insert(id).inserted else { continue }
                byDevice[id, default: Use()].kinds[kind.rawValue, default: 0] += 1
                if let runtime {
                    byDevice[id]!.runtimeTotal += runtime
                    byDevice[id]!.finished += 1
                }
            }
        }
    }
}
