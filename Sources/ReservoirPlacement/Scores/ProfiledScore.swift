/// A policy with profile matching on top: the job's kind picks the device class and model (the
/// best-suited one with room, `ProfileMatchScore`: its class from the devices' resource profiles, then
/// the catalog's figures, with nodes of recently faulty devices scored down), the base policy picks the
/// node and devices among them.
///
/// Profile fit counts `weight` per unit, far more than any fragmentation or packing difference a base
/// score makes on one node (at most a few tens of thousands of milli-GPU), so in a mixed pool an
/// inference job goes to the fastest memory and a test job to the cheapest GPU even when another model
/// would pack tighter. Pods without a kind (the openb traces) score exactly as the base policy does.
public struct ProfiledScore<Base: ScorePlugin>: ScorePlugin {
    public static var name: String { Base.name }
    public static var weight: Double { 10_000_000 }
    private var base: Base
    private let profile: ProfileMatchScore

    public init(_ base: Base, profile: ProfileMatchScore = ProfileMatchScore()) {
        self.base = base
        self.profile = profile
    }

    public mutating func prepare(_ pod: PodRequest, in cluster: ClusterState) {
        base.prepare(pod, in: cluster)
    }

    public mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        let own = base.score(pod, node: index, in: cluster)
        guard pod.kind != nil else { return own }
        return own + Self.weight * profile.score(pod, node: index, in: cluster)
    }

    public mutating func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int] {
        base.devices(for: pod, node: index, in: cluster)
    }
}
