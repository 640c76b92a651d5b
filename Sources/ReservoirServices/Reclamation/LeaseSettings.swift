import ReservoirCore

/// Leases and reclamation (`leases:` in the configuration file, docs/CONFIG.md, docs/RECLAMATION.md):
/// how long each kind of grant runs, when owners are warned, how far they may extend, and when idle
/// capacity is taken back.
public struct LeaseSettings: Codable, Hashable, Sendable {
    /// Days before a reclamation (of any kind) that its owner is notified; a notice already past when
    /// the lease is granted collapses into the first one still ahead.
    public var noticeDays = [7, 3, 1]
    /// The longest window an L2 fine-tuning grant may have (and its default); L1 and online inference have no fixed term.
    public var fineTuningMaxDays = 7.0
    /// The longest window of a research/exploration grant.
    public var researchMaxDays = 14.0
    /// The longest window of an offline batch-inference grant.
    public var offlineBatchMaxDays = 14.0
    /// The most days one extension may add.
    public var extensionMaxDays = 3.0
    /// Extensions a grant may receive in all.
    public var extensionMaxCount = 2
    /// Hours an interactive/test allocation (a job of kind `test`) may stay idle before it is reclaimed after a notice.
    public var interactiveIdleTimeoutHours = 4.0
    /// Hours between the idle notice of an interactive/test allocation and its reclamation.
    public var interactiveNoticeHours = 1.0
    public var idleServices = IdleServiceRule()

    public init() {}

    /// The longest window a grant of `category` may have; nil: no fixed term (L1, online inference).
    public func maxDays(for category: RequestCategory) -> Double? {
        switch category {
        case .fineTuning: fineTuningMaxDays
        case .research: researchMaxDays
        case .offlineBatch: offlineBatchMaxDays
        case .largeModel, .online: nil
        }
    }

    /// The window given when the form names none: an L2 lease runs its full term; every other category
    /// with a term says how long it needs.
    public func defaultHours(for category: RequestCategory?) -> Double? {
        category == .fineTuning ? fineTuningMaxDays * 24 : nil
    }
}

/// When an inference service counts as idle (SPEC §5.7): its daily peak GPU utilization and daily peak
/// GPU-memory utilization both stayed below the thresholds on every day of the window.
public struct IdleServiceRule: Codable, Hashable, Sendable {
    public var peakUtilizationBelowPercent = 20.0
    public var peakMemoryBelowPercent = 20.0
    public var windowDays = 30
    /// Days the owner has to answer an idle confirmation before operators may shrink or reclaim.
    public var confirmationDays = 3.0

    public init() {}
}
