import ReservoirCore
import ReservoirPlacement
import ReservoirScheduling

/// The scheduler (`scheduler:`): the cycle's own knobs (`SchedulerConfiguration`, at this level, not
/// nested) and how often the loop runs.
public struct SchedulerSettings: Codable, Sendable, SettingsGroup {
    public var cycle = SchedulerConfiguration()
    /// Seconds between scheduling cycles when nothing wakes the scheduler earlier.
    public var cycleIntervalSeconds = 1.0
    /// Seconds between reconciliations with the engines (after the one at start).
    public var reconcileIntervalSeconds = 60.0

    public init() {}

    private enum CodingKeys: String, CodingKey { case cycleIntervalSeconds, reconcileIntervalSeconds }

    public init(from decoder: any Decoder) throws {
        cycle = try SchedulerConfiguration(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cycleIntervalSeconds = try container.decode(Double.self, forKey: .cycleIntervalSeconds)
        reconcileIntervalSeconds = try container.decode(Double.self, forKey: .reconcileIntervalSeconds)
    }

    public func encode(to encoder: any Encoder) throws {
        try cycle.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cycleIntervalSeconds, forKey: .cycleIntervalSeconds)
        try container.encode(reconcileIntervalSeconds, forKey: .reconcileIntervalSeconds)
    }

    func problems(at path: String) -> [ReservoirError] {
        let policies = PlacementPolicy.allNames
        return [
            policies.contains(cycle.placementPolicy)
                ? nil : .invalid("\(path).placementPolicy", "'\(cycle.placementPolicy)' is not valid; expected one of: \(policies.joined(separator: ", "))"),
            Rule.within(cycle.maxJobsPerCycle, 1...1_000_000, "\(path).maxJobsPerCycle"),
            Rule.within(cycle.agingClassesPerHour, 0...100, "\(path).agingClassesPerHour"),
            Rule.within(cycle.nodesToScore, 0...1_000_000, "\(path).nodesToScore"),
            Rule.within(cycle.preemption.graceSeconds, 0...86_400, "\(path).preemption.graceSeconds"),
            Rule.within(cycle.preemption.maxCandidates, 1...1_000_000, "\(path).preemption.maxCandidates"),
            Rule.within(cycle.backfill.windowSeconds, 1...(366 * 86_400), "\(path).backfill.windowSeconds"),
            Rule.within(cycle.backfill.resolutionSeconds, 1...86_400, "\(path).backfill.resolutionSeconds"),
            Rule.within(cycle.backfill.maxJobTest, 0...1_000_000, "\(path).backfill.maxJobTest"),
            Rule.within(cycleIntervalSeconds, 0.01...3_600, "\(path).cycleIntervalSeconds"),
            Rule.within(reconcileIntervalSeconds, 0.1...86_400, "\(path).reconcileIntervalSeconds"),
        ].compactMap { $0 }
    }
}

extension SchedulerConfiguration: SettingsGroup {}
extension PreemptionConfiguration: SettingsGroup {}
extension BackfillConfiguration: SettingsGroup {}
