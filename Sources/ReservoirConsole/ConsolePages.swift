/// Every page group of the console, one line each: the nav and the router are built from this list.
/// To add pages: a folder `Pages/<Section>/` with a `ConsolePageGroup` (its `ConsolePage`s, their templates as
/// string literals extending `layout`, and `register(on:)` calling `routes.get`/`routes.post`), then one line here.
enum ConsolePages {
    static let groups: [any ConsolePageGroup] = [
        OverviewPages(),
        PoolsPages(),
        JobsPages(),
        ServicesPages(),
        RequestsPages(),
        ApprovalsPages(),
        GrantsPages(),
        ReclamationPages(),
        BillingPages(),
        ReportPages(),
        PlanningPages(),
        AuditPages(),
    ]
}
