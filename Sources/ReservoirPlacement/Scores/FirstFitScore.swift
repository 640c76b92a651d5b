/// First fit: every feasible node scores the same, so the first in the cluster's tie order wins.
public struct FirstFitScore: ScorePlugin {
    public static let name = "firstfit"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double { 0 }
}
