#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fragmentation Gradient Descent (Weng et al., USENIX ATC '23), faithful to the authors' simulator
/// (`fgd_score.go`): place the pod where it increases the node's fragmentation (`GPUFragmentation`,
/// memory ignored as in the paper) the least. Score = `int(100 × sigmoid((F(n) − F(n + pod)) / 1000))`,
/// so 50 means "no change" and ties, common in integers, go to the cluster's tie order.
public typealias FGDScore = FragmentationScore<FGDRule>

extension FGDScore {
    public init(workload: TypicalPods) { self.init(rule: FGDRule(), frag: GPUFragmentation(workload, mode: .faithful)) }
}

/// FGD's rule: fragmentation alone, through the simulator's integer sigmoid.
public struct FGDRule: FragmentationRule {
    public static let name = "fgd"

    public func extra(_ node: NodeCapacity) -> Double { 0 }

    public func score(_ pod: PodRequest, on node: NodeCapacity, slot: Int, before: Double, after: Double) -> Double {
        Double(Self.sigmoidScore(before - after))
    }

    /// `int64(100 × sigmoid(Δ / 1000))` as the simulator computes it (truncation toward zero).
    static func sigmoidScore(_ delta: Double) -> Int {
        Int(100 / (1 + exp(-delta / 1000)))
    }
}
