/// What a caller asks to do. Every use case names one action (a family of use cases that share one
/// rule shares one action), every API route names the action of its use case, and `AccessPolicy`
/// has a scope for every action under every role — so "who may do this?" has one answer, in one table.
public enum Action: String, CaseIterable, Sendable, Codable {
    /// Regions, clusters, pools, nodes, devices and the GPU catalog: the shared map of the reservoir.
    case readInventory = "inventory.read"
    /// Import cluster descriptions, cordon or drain nodes, set device states, edit the catalog.
    case changeInventory = "inventory.change"
    case readTenants = "tenants.read"
    /// Create, disable, re-enable and delete tenants.
    case manageTenants = "tenants.manage"
    case readUsers = "users.read"
    /// Create, disable, re-enable and delete users.
    case manageUsers = "users.manage"
    case readQuotas = "quotas.read"
    /// Set and delete quotas.
    case manageQuotas = "quotas.manage"
    case readTokens = "tokens.read"
    case issueTokens = "tokens.issue"
    case revokeTokens = "tokens.revoke"
    case submitJobs = "jobs.submit"
    /// List and show jobs, their events, explanations and output.
    case readJobs = "jobs.read"
    /// Cancel jobs and change their priority class (below P0).
    case changeJobs = "jobs.change"
    /// Put a job in P0, the emergency class, at submission or later.
    case raiseToP0 = "jobs.raise-to-p0"
    case readUsage = "usage.read"
    case readAudit = "audit.read"
    /// Demand series (GPU-hours over time) built from jobs.
    case readDemand = "demand.read"
    /// Capacity plans, surge what-ifs, forecast error reports and charts: the whole reservoir's future.
    case readPlans = "plans.read"
    /// What-if for one resource request: can it be met, from where, and when.
    case planRequests = "plans.request"
    /// Report device discovery, samples and health from a node (the agent role's only action).
    case reportTelemetry = "telemetry.report"
    /// Read utilization (GPU util, memory) of devices, nodes, pools, tenants, jobs and services.
    case readUtilization = "utilization.read"
    /// Read inference services, their replicas, traffic and scaling history.
    case readServices = "services.read"
    /// Deploy, change, scale or delete inference services.
    case manageServices = "services.manage"
    /// Read notifications: those addressed to oneself, one's tenant or one's roles (operators: all).
    case readNotifications = "notifications.read"
    /// Run the estimation calculator (what a training run or an inference service needs); stores nothing.
    case estimate = "estimates.run"
    /// Submit resource requests (the intake form) and withdraw one's own undecided ones.
    case submitRequests = "requests.submit"
    /// List and show resource requests and their grants (approvers also see what is routed to them).
    case readRequests = "requests.read"
    /// Approve, approve with changes, or reject requests routed to oneself.
    case reviewRequests = "requests.review"
    /// Open the emergency green channel: a P0 grant on the dynamic reserve, decided by one emergency approver.
    case openEmergency = "emergency.open"
    /// Ask to extend a grant's lease (before it ends, with a reason), and give a grant back early; answer an idle confirmation.
    case holdGrants = "grants.hold"
    /// Decide lease extensions, confirm and carry out reclamations (idle shrinks, forced reclaims with an approval record).
    case reclaim = "reclamation.manage"
    /// Read reclamation records, idle candidates and the L1 review.
    case readReclamations = "reclamation.read"
    /// Read invoices, balances, prices and showback/chargeback (members: their own tenant's).
    case readBilling = "billing.read"
    /// Finance's hand on money: price versions, discount tiers, credit top-ups, closing a period's invoices.
    case manageBilling = "billing.manage"
    /// Read the monthly transparency report (the company-wide "resource sunning" publication).
    case readReports = "reports.read"
    /// Read alerts (firing and resolved) and their history.
    case readAlerts = "alerts.read"
    /// Register or withdraw known business events (promotions, launches, contract ramps) that forecasts and plans include.
    case manageEvents = "events.manage"

    /// The action in the operator's words, for error messages.
    public var phrase: String {
        switch self {
        case .readInventory: "read the inventory"
        case .changeInventory: "change the inventory or the catalog"
        case .readTenants: "read tenants"
        case .manageTenants: "create, disable or delete tenants"
        case .readUsers: "read users"
        case .manageUsers: "create, disable or delete users"
        case .readQuotas: "read quotas"
        case .manageQuotas: "set or delete quotas"
        case .readTokens: "read tokens"
        case .issueTokens: "issue tokens"
        case .revokeTokens: "revoke tokens"
        case .submitJobs: "submit jobs"
        case .readJobs: "read jobs"
        case .changeJobs: "cancel or change jobs"
        case .raiseToP0: "put jobs in P0, the emergency class"
        case .readUsage: "read usage"
        case .readAudit: "read the audit log"
        case .readDemand: "read demand series"
        case .readPlans: "read capacity plans, forecasts and charts"
        case .planRequests: "plan resource requests"
        case .reportTelemetry: "report device telemetry and health"
        case .readUtilization: "read utilization"
        case .readServices: "read inference services"
        case .manageServices: "deploy, scale or delete inference services"
        case .readNotifications: "read notifications"
        case .estimate: "run the estimation calculator"
        case .submitRequests: "submit resource requests"
        case .readRequests: "read resource requests and grants"
        case .reviewRequests: "review resource requests"
        case .openEmergency: "open the emergency green channel"
        case .holdGrants: "extend or return grants"
        case .reclaim: "decide extensions and reclaim capacity"
        case .readReclamations: "read reclamations"
        case .readBilling: "read invoices, balances and prices"
        case .manageBilling: "change prices, discounts or credit"
        case .readReports: "read the monthly transparency report"
        case .readAlerts: "read alerts"
        case .manageEvents: "register or withdraw business events"
        }
    }
}
