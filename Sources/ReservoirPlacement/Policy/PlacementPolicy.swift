/// The placement policies by name, for configuration files, the API and `reservoir bench openb`.
public enum PlacementPolicy {
    /// The default: `reservoir`.
    public static let defaultName = ReservoirScore.name

    /// Every policy name, the default first.
    public static let allNames: [String] = [
        ReservoirScore.name, FGDScore.name, BestFitScore.name, DotProductScore.name, GPUPackingScore.name,
        GPUClusteringScore.name, RandomScore.name, FirstFitScore.name, PackingScore.name, SpreadScore.name,
        TopologyScore.name, ProfileMatchScore.name,
    ]

    /// Whether the policy's best node can be anywhere in the pool: fragmentation-aware scores (FGD,
    /// `reservoir`) weigh each node against the whole target workload, so a placer must score every
    /// feasible node (a `nodesToScore` bound would make it take the best of an arbitrary subset).
    public static func comparesAllNodes(_ name: String) -> Bool {
        name == ReservoirScore.name || name == FGDScore.name
    }

    /// Whether the policy sends each kind of work to the models that suit it (SPEC §4 profile
    /// matching): the default policy does, on top of its fragmentation score; `profile` is nothing
    /// else. FGD and the packing baselines stay as published.
    public static func matchesProfiles(_ name: String) -> Bool {
        name == ReservoirScore.name || name == ProfileMatchScore.name
    }

    /// The score plugin of a policy, or nil for an unknown name.
    public static func scorer(named name: String, workload: TypicalPods = .generic, seed: UInt64 = 0) -> (any ScorePlugin)? {
        switch name {
        case ReservoirScore.name: ProfiledScore(ReservoirScore(workload: workload))
        case FGDScore.name: FGDScore(workload: workload)
        case BestFitScore.name: BestFitScore()
        case DotProductScore.name: DotProductScore()
        case GPUPackingScore.name: GPUPackingScore()
        case GPUClusteringScore.name: GPUClusteringScore()
        case RandomScore.name: RandomScore(seed: seed)
        case FirstFitScore.name: FirstFitScore()
        case PackingScore.name: PackingScore()
        case SpreadScore.name: SpreadScore()
        case TopologyScore.name: TopologyScore()
        case ProfileMatchScore.name: ProfileMatchScore()
        default: nil
        }
    }
}
