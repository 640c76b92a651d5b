/// When a lease's owner is warned before its end (SPEC §5.7: 7, 3 and 1 days before by default). A notice
/// whose moment had already passed when the lease was armed (granted, or extended) is never sent, except
/// the last one: a lease shorter than every notice still gets one warning, at once. Notices that fall due
/// together (a server that was down) collapse into the most urgent of them, so an owner is never told
/// the same end twice.
public struct LeaseNoticeSchedule: Hashable, Sendable {
    public static let day = 86_400.0
    /// Days before the end, most distant first, without repeats.
    public let days: [Int]

    public init(days: [Int]) { self.days = Array(Set(days.filter { $0 > 0 })).sorted(by: >) }

    public func moment(of days: Int, endsAt: Double) -> Double { endsAt - Double(days) * Self.day }

    /// The notices a lease armed at `armedAt` skips: those already past then, but never the last one.
    public func skipped(endsAt: Double, armedAt: Double) -> [Int] {
        let past = days.filter { moment(of: $0, endsAt: endsAt) < armedAt }
        return past.count == days.count ? Array(past.dropLast()) : past
    }

    /// The notice to send at `now` (days before the end) and every notice it stands for, or nil when none is due.
    public func due(endsAt: Double, done: [Int], now: Double) -> (send: Int, covers: [Int])? {
        let due = days.filter { !done.contains($0) && moment(of: $0, endsAt: endsAt) <= now }
        guard let urgent = due.last else { return nil }
        return (urgent, due)
    }

    /// When the next notice falls due; nil when every notice is done.
    public func next(endsAt: Double, done: [Int]) -> Double? {
        days.filter { !done.contains($0) }.map { moment(of: $0, endsAt: endsAt) }.min()
    }
}
