/// Traffic and latency of a service as an estimate, for simulated services and for a view where
/// nothing measures latency: each replica is taken as one M/M/1 server with service rate
/// `capacityQPS` at utilization ρ, whose response time is exponential with rate μ(1 − ρ), so its
/// p99 is ln(100) / (μ(1 − ρ)). A model, not a measurement; the API says so.
public enum ServiceLoad {
    /// ln(100): the p99 of an exponential distribution in units of its mean.
    static let lnHundred = 4.605_170_185_988_092
    /// Utilization is capped here: at 1 the queue grows without bound and the estimate is infinite.
    static let saturation = 0.99

    /// Each running replica's share of `qps` (an even split, as a load balancer would make it).
    public static func perReplicaQPS(_ qps: Double, replicas: Int) -> Double {
        replicas > 0 ? qps / Double(replicas) : 0
    }

    /// Utilization 0…1 a replica would run at under `qps`, capped below saturation.
    public static func utilization(qps: Double, capacityQPS: Double) -> Double {
        guard capacityQPS > 0 else { return saturation }
        return min(saturation, max(0, qps / capacityQPS))
    }

    /// The p99 latency estimate in milliseconds at utilization `rho` (0…1) for a replica serving
    /// `capacityQPS` at full utilization.
    public static func p99LatencyMs(utilization rho: Double, capacityQPS: Double) -> Double {
        let rho = min(saturation, max(0, rho))
        guard capacityQPS > 0 else { return .infinity }
        return lnHundred / (capacityQPS * (1 - rho)) * 1_000
    }
}
