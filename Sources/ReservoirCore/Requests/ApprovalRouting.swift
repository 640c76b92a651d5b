import Foundation

/// The tiered-approval rules (SPEC §5.4) as a pure function: given a request, its feasibility, the rules
/// and the users, who decides it and by when — or whether Reservoir decides it in the same call.
public enum ApprovalRouting {
    public enum Decision: Hashable, Sendable {
        /// Approve now (small standard request, or the green channel opened by an emergency approver).
        case approveNow(actor: String, reason: String)
        /// Refuse now: a compliance rule forbids it as asked.
        case rejectNow(reason: String)
        case route(Routing)
    }

    /// The rule values routing reads (a copy of `requests.approval` and the emergency approvers).
    public struct Rules: Hashable, Sendable {
        public var autoApproveBelowGPUs: Int
        public var autoApproveBelowDays: Double
        public var hqAtGPUs: Int
        public var reviewDeadlineWorkingDays: Double
        public var committee: [UserID]
        public var committeeApprovals: Int

        public init(
            autoApproveBelowGPUs: Int = 4, autoApproveBelowDays: Double = 7, hqAtGPUs: Int = 64, reviewDeadlineWorkingDays: Double = 1,
            committee: [UserID] = [], committeeApprovals: Int = 2
        ) {
            self.autoApproveBelowGPUs = autoApproveBelowGPUs
            self.autoApproveBelowDays = autoApproveBelowDays
            self.hqAtGPUs = hqAtGPUs
            self.reviewDeadlineWorkingDays = reviewDeadlineWorkingDays
            self.committee = committee
            self.committeeApprovals = committeeApprovals
        }
    }

    /// Routes `request` submitted by `submitter` at `now`. `users` are every user (reviewers are resolved
    /// from them, disabled ones left out).
    public static func route(
        _ request: AllocationRequest, feasibility: FeasibilityReport?, rules: Rules, submitter: User, users: [User], at now: Double
    ) -> Decision {
        let active = users.filter { !$0.isDisabled }
        let due = WorkingDays.adding(rules.reviewDeadlineWorkingDays, to: now)
        if request.form.emergency != nil {
            if submitter.roles.contains(.emergencyApprover) {
                return .approveNow(actor: "user:\(submitter.id)", reason: "green channel opened by emergency approver \(submitter.id)")
            }
            let approvers = active.filter { $0.roles.contains(.emergencyApprover) }.map(\.id)
            return .route(Routing(tier: .emergency, reviewers: approvers, dueAt: now, reason: "emergency request: the emergency approver decides at once"))
        }
        if let feasibility, feasibility.verdict == .refused {
            return .rejectNow(reason: feasibility.violations.isEmpty ? feasibility.message : feasibility.violations.joined(separator: "; "))
        }
        let terms = request.asked
        if feasibility?.usesStrategicReserve == true {
            let members = Set(rules.committee)
            return .route(Routing(
                tier: .committee, reviewers: active.filter { members.contains($0.id) }.map(\.id), requiredApprovals: rules.committeeApprovals,
                dueAt: due, reason: "takes the strategic reserve: the committee decides (\(rules.committeeApprovals) approvals)"))
        }
        let shortEnough = terms.durationHours.map { $0 < rules.autoApproveBelowDays * 24 } ?? false
        if terms.gpus < rules.autoApproveBelowGPUs, shortEnough, feasibility?.verdict != .mustShrink {
            return .approveNow(
                actor: "system:auto-approval",
                reason: "\(terms.gpus) GPUs < \(rules.autoApproveBelowGPUs) and \(days(terms.durationHours ?? 0)) days < \(days(rules.autoApproveBelowDays * 24)): a small standard request")
        }
        let why = terms.gpus >= rules.autoApproveBelowGPUs
            ? "\(terms.gpus) GPUs ≥ \(rules.autoApproveBelowGPUs), the auto-approval limit"
            : terms.durationHours == nil ? "no fixed term" : "\(days(terms.durationHours ?? 0)) days ≥ \(days(rules.autoApproveBelowDays * 24)), the auto-approval limit"
        if terms.gpus >= rules.hqAtGPUs {
            return .route(Routing(tier: .hq, reviewers: hq(active), dueAt: due, reason: "\(terms.gpus) GPUs ≥ \(rules.hqAtGPUs): HQ operations decide"))
        }
        let managers = active.filter { $0.roles.contains(.approver) && $0.tenant == request.tenant }.map(\.id)
        if managers.isEmpty {
            return .route(Routing(tier: .hq, reviewers: hq(active), dueAt: due, reason: "\(why); tenant \(request.tenant) has no approver, so HQ operations decide"))
        }
        return .route(Routing(tier: .manager, reviewers: managers, dueAt: due, reason: "\(why): the tenant's manager decides"))
    }

    /// HQ operations: approvers of no tenant, and operators.
    public static func hq(_ users: [User]) -> [UserID] {
        users.filter { !$0.isDisabled && (($0.roles.contains(.approver) && $0.tenant == nil) || $0.roles.contains(.operator_)) }.map(\.id)
    }

    private static func days(_ hours: Double) -> String {
        let d = hours / 24
        return d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d)
    }
}

/// Working-day arithmetic for review deadlines: Saturdays and Sundays (UTC) do not count.
public enum WorkingDays {
    /// `time` plus `days` working days: time passes only on Monday–Friday; a start on a weekend starts Monday 00:00.
    public static func adding(_ days: Double, to time: Double) -> Double {
        var remaining = max(0, days) * 86_400
        var t = time
        while true {
            let day = (t / 86_400).rounded(.down)
            if isWeekend(day) {
                t = (day + 1) * 86_400
                continue
            }
            let endOfDay = (day + 1) * 86_400
            let chunk = min(remaining, endOfDay - t)
            t += chunk
            remaining -= chunk
            if remaining <= 0 { return t }
        }
    }

    /// Day `day` since the epoch (1970-01-01 was a Thursday) falls on a Saturday or Sunday.
    static func isWeekend(_ day: Double) -> Bool {
        let weekday = (Int(day) % 7 + 7 + 4) % 7  // 0 Sunday … 6 Saturday
        return weekday == 0 || weekday == 6
    }
}
