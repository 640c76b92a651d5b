import Foundation

/// Showback/chargeback for one month: what each tenant's projects used and cost, and what the capacity
/// reserved for them and left idle cost (charged to its owner: the tenant, and the project of the grant
/// that reserved it when there is one). Built from per-project invoices, so its amounts are the
/// calculator's, rounded per line; the issued invoice stays the binding document (a project split can
/// differ from it by rounding cents).
public struct Showback: Codable, Hashable, Sendable {
    /// One tenant's project (nil: work and quota tied to no project).
    public struct Row: Codable, Hashable, Sendable {
        public var tenant: TenantID
        public var project: String?
        /// On-demand and spot device-hours used.
        public var deviceHours: Decimal
        /// What those hours cost, after the tenant's volume discount.
        public var amount: Money
        /// Reserved device-hours left idle (guaranteed quota and grants not used).
        public var reservedIdleHours: Decimal
        public var reservedIdleCost: Money
        /// amount + reservedIdleCost.
        public var total: Money

        public init(tenant: TenantID, project: String?, deviceHours: Decimal, amount: Money, reservedIdleHours: Decimal, reservedIdleCost: Money) {
            self.tenant = tenant
            self.project = project
            self.deviceHours = deviceHours
            self.amount = amount
            self.reservedIdleHours = reservedIdleHours
            self.reservedIdleCost = reservedIdleCost
            self.total = amount + reservedIdleCost
        }
    }

    /// `YYYY-MM`.
    public var period: String
    /// Open while the month runs (figures up to now), closed once it is over.
    public var status: Invoice.Status
    public var currency: String
    /// By tenant, then project (no project first).
    public var rows: [Row]
    /// Sum of the rows' totals.
    public var total: Money

    /// Adds up per-project invoices (`InvoiceCalculator.invoice(…, byProject: true)`) of one month.
    public init(period: String, status: Invoice.Status, currency: String, invoices: [Invoice]) {
        struct Key: Hashable, Comparable {
            var tenant: String
            var project: String?
            static func < (a: Key, b: Key) -> Bool { (a.tenant, a.project ?? "") < (b.tenant, b.project ?? "") }
        }
        var rows: [Key: Row] = [:]
        for invoice in invoices {
            for line in invoice.lines {
                let key = Key(tenant: invoice.tenant.rawValue, project: line.project)
                var row = rows[key] ?? Row(tenant: invoice.tenant, project: line.project, deviceHours: 0, amount: .zero, reservedIdleHours: 0, reservedIdleCost: .zero)
                if line.rateClass == .reservedIdle {
                    row.reservedIdleHours += line.hours
                    row.reservedIdleCost += line.amount
                } else {
                    row.deviceHours += line.hours
                    row.amount += line.amount
                }
                row.total = row.amount + row.reservedIdleCost
                rows[key] = row
            }
        }
        self.period = period
        self.status = status
        self.currency = currency
        self.rows = rows.keys.sorted().compactMap { rows[$0] }
        self.total = self.rows.reduce(.zero) { $0 + $1.total }
    }
}
