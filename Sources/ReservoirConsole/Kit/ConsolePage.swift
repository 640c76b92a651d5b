import ReservoirServices

/// The console's navigation, in the order it is shown. Every page belongs to one section (a job's page
/// lights up "Jobs"); a section's link is shown to a role that may open the section's entry page.
public enum NavSection: String, CaseIterable, Sendable {
    case overview, pools, jobs, services, requests, approvals, grants, reclamation, billing, reports, planning, audit

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .pools: "Pools"
        case .jobs: "Jobs"
        case .services: "Services"
        case .requests: "Requests"
        case .approvals: "Approvals"
        case .grants: "Grants"
        case .reclamation: "Reclamation"
        case .billing: "Billing"
        case .reports: "Reports"
        case .planning: "Planning"
        case .audit: "Audit"
        }
    }
}

/// One console page: its id (`<meta name="reservoir-page">`, what the browser tests look for), its title,
/// its nav section, and the access-policy action it shows. Who may open it follows from the policy: a role
/// whose scope for `action` is `.none` gets the 403 page and no nav link — there is no second policy here.
public struct ConsolePage: Sendable, Hashable {
    public let id: String
    public let title: String
    public let section: NavSection
    public let action: Action
    /// Set on the page a section's nav link opens (e.g. `/console/jobs`); nil on detail and form pages.
    public let navPath: String?

    public init(id: String, title: String, section: NavSection, action: Action, navPath: String? = nil) {
        self.id = id
        self.title = title
        self.section = section
        self.action = action
        self.navPath = navPath
    }

    /// Whether `principal` may open the page: the policy gives it some scope for the page's action — and,
    /// for an own-tenant scope, a tenant to read (the policy's `tenantFilter` refuses a user of no tenant, such
    /// as the demo's approvers, so their nav must not offer a list that would answer 403).
    public func isVisible(to principal: Principal, policy: AccessPolicy) -> Bool {
        switch policy.scope(principal, action) {
        case .none: false
        case .ownTenant: principal.tenant != nil
        case .ownUser, .anyTenant: true
        }
    }
}

/// A file of console pages: the pages it declares (for the nav), its Mustache templates (name → source;
/// each page template extends the `layout` partial), and its routes. A new page group is added to the
/// console with one line in `ConsolePages.groups`.
public protocol ConsolePageGroup: Sendable {
    var pages: [ConsolePage] { get }
    var templates: [String: String] { get }
    func register(on routes: ConsoleRoutes)
}
