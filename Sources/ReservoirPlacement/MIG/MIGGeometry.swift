/// MIG placement geometry per GPU model (7 compute slices, 8 memory slices on A100/H100/H200).
/// A new instance fits only where its memory-slice run is free and starts at a valid index.
public enum MIGGeometry {
    /// Bit of `NodeCapacity.migSlices` that marks the GPU's media extension as taken.
    public static let mediaExtensionBit: UInt16 = 1 << 8

    /// The layout shared by every 8-memory-slice part; only the memory in the names differs.
    private static func standard(_ small: String, _ double: String, _ half: String, _ full: String) -> [MIGProfile] {
        [
            MIGProfile("1g.\(small)", compute: 1, memory: 1, starts: Array(0...6)),
            MIGProfile("1g.\(small)+me", compute: 1, memory: 1, starts: Array(0...6), mediaExtension: true),
            MIGProfile("1g.\(double)", compute: 1, memory: 2, starts: [0, 2, 4, 6]),
            MIGProfile("2g.\(double)", compute: 2, memory: 2, starts: [0, 2, 4]),
            MIGProfile("3g.\(half)", compute: 3, memory: 4, starts: [0, 4]),
            MIGProfile("4g.\(half)", compute: 4, memory: 4, starts: [0]),
            MIGProfile("7g.\(full)", compute: 7, memory: 8, starts: [0]),
        ]
    }

    /// Profiles by canonical catalog model name. H200 placements are inferred from H100 (same die;
    /// no real `-lgipp` capture exists), as `mig-profiles.md` records.
    public static let profiles: [String: [MIGProfile]] = [
        "A100-40GB": standard("5gb", "10gb", "20gb", "40gb"),
        "A100-80GB": standard("10gb", "20gb", "40gb", "80gb"),
        "H100-80GB": standard("10gb", "20gb", "40gb", "80gb"),
        "H200": standard("18gb", "35gb", "71gb", "141gb"),
    ]

    /// The profile called `name` on `model`, or nil when that model has no such profile.
    public static func profile(_ name: String, model: String) -> MIGProfile? {
        profiles[model]?.first { $0.name == name }
    }

    /// The first valid start of `profile` on a GPU whose taken slices are `taken`, or nil.
    public static func firstStart(of profile: MIGProfile, taken: UInt16) -> Int? {
        profile.starts.first { profile.mask(at: $0) & taken == 0 }
    }

    /// Where a MIG pod goes on node `i` of `cluster`: the device and first memory slice `choose`
    /// picks, holding the profile's milli. Nil for pods that ask for no MIG instance, or no free slot.
    public static func placement(_ pod: PodRequest, node i: Int, in cluster: ClusterState) -> Placement? {
        let node = cluster.nodes[i]
        guard let name = pod.migProfile, let profile = profile(name, model: node.model), let slot = choose(profile, on: node) else {
            return nil
        }
        return Placement(node: i, gpuIndices: [slot.gpu], gpuMilli: profile.milli, migStartSlice: slot.start)
    }

    /// The number of `profile` instances one empty GPU holds (its geometry, not its compute slices alone).
    public static func capacity(of profile: MIGProfile) -> Int {
        var taken: UInt16 = 0
        var n = 0
        while let s = firstStart(of: profile, taken: taken) {
            taken |= profile.mask(at: s)
            n += 1
        }
        return n
    }

    /// The (device, start) for a MIG instance on `node`: the GPU that is already most used among
    /// those where the profile fits (packing instances keeps whole GPUs free for `7g`), first index on a tie.
    public static func choose(_ profile: MIGProfile, on node: NodeCapacity) -> (gpu: Int, start: Int)? {
        var best: (gpu: Int, start: Int, free: Int)?
        for g in node.migSlices.indices where !node.unusable.contains(g) {
            guard let s = firstStart(of: profile, taken: node.migSlices[g]) else { continue }
            let free = 8 - (node.migSlices[g] & 0xFF).nonzeroBitCount
            if best == nil || free < best!.free { best = (g, s, free) }
        }
        return best.map { ($0.gpu, $0.start) }
    }
}
