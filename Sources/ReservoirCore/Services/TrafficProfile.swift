/// Simulated traffic of a service: a daily (diurnal) cosine around a base rate, peaking at
/// `peakHour` UTC, times every promotion spike in force. Deterministic: the same instant always
/// gives the same rate, so the simulator, the autoscaler's tests and the demo agree.
public struct TrafficProfile: Codable, Hashable, Sendable {
    /// Mean requests per second over a day, without spikes.
    public var baseQPS: Double
    /// Relative swing of the daily curve, 0…1: 0.5 means from 50 % to 150 % of the base.
    public var diurnalAmplitude: Double
    /// Hour of the day (UTC, 0…24) of the daily peak.
    public var peakHour: Double
    public var spikes: [TrafficSpike]

    public init(baseQPS: Double, diurnalAmplitude: Double = 0, peakHour: Double = 20, spikes: [TrafficSpike] = []) {
        self.baseQPS = baseQPS
        self.diurnalAmplitude = diurnalAmplitude
        self.peakHour = peakHour
        self.spikes = spikes
    }

    /// Requests per second at `at` (seconds since the Unix epoch).
    public func qps(at: Double) -> Double {
        let hour = (at.truncatingRemainder(dividingBy: 86_400) + 86_400).truncatingRemainder(dividingBy: 86_400) / 3_600
        let daily = 1 + diurnalAmplitude * Self.cosine(2 * Double.pi * (hour - peakHour) / 24)
        let spike = spikes.filter { $0.start <= at && at < $0.end }.reduce(1.0) { $0 * $1.multiplier }
        return max(0, baseQPS * daily * spike)
    }

    /// cos(x) by range reduction and its Taylor series (error < 1e-12): the core imports nothing, and
    /// the curve is then the same on every platform.
    static func cosine(_ x: Double) -> Double {
        let twoPi = 2 * Double.pi
        var r = x.truncatingRemainder(dividingBy: twoPi)
        if r > Double.pi { r -= twoPi } else if r < -Double.pi { r += twoPi }
        let r2 = r * r
        var term = 1.0
        var sum = 1.0
        for k in 1...14 {
            term *= -r2 / Double((2 * k - 1) * (2 * k))
            sum += term
        }
        return sum
    }

    public func validate() throws(ReservoirError) {
        try Bounds.check(baseQPS, "traffic.baseQPS", in: Bounds.serviceQPS)
        try Bounds.check(diurnalAmplitude, "traffic.diurnalAmplitude", in: 0...1)
        try Bounds.check(peakHour, "traffic.peakHour", in: 0...24)
        guard spikes.count <= InputLimits.entries else { throw .invalid("traffic.spikes", "at most \(InputLimits.entries) spikes") }
        for (i, spike) in spikes.enumerated() {
            try Bounds.check(spike.start, "traffic.spikes[\(i)].start", in: Bounds.unixSeconds)
            try Bounds.check(spike.end, "traffic.spikes[\(i)].end", in: Bounds.unixSeconds)
            guard spike.start < spike.end else { throw .invalid("traffic.spikes[\(i)].end", "must be after start") }
            try Bounds.check(spike.multiplier, "traffic.spikes[\(i)].multiplier", in: Bounds.surgeFactor)
        }
    }
}

/// A promotion (a launch, 11.11): traffic times `multiplier` from `start` until `end` (Unix seconds).
public struct TrafficSpike: Codable, Hashable, Sendable {
    public var start: Double
    public var end: Double
    public var multiplier: Double

    public init(start: Double, end: Double, multiplier: Double) {
        self.start = start
        self.end = end
        self.multiplier = multiplier
    }
}
