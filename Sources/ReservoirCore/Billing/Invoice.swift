import Foundation

/// One line of an invoice: a device model in one rate class at one unit price and one discount.
public struct InvoiceLine: Codable, Hashable, Sendable {
    public var model: String
    /// `on-demand`, `spot` or `reserved-idle`.
    public var rateClass: RateClass
    /// Device-hours billed (after the minimum billing period), exact.
    public var hours: Decimal
    /// Price per device-hour of the price version that applied.
    public var unitPrice: Money
    /// Fraction taken off (0.1 for ×0.9); 0 when none.
    public var discount: Decimal
    /// `hours × unitPrice × (1 − discount)`, rounded to the cent.
    public var amount: Money
    /// The project the hours were charged to, when the line is per project.
    public var project: String?

    public init(model: String, rateClass: RateClass, hours: Decimal, unitPrice: Money, discount: Decimal, amount: Money, project: String? = nil) {
        self.model = model
        self.rateClass = rateClass
        self.hours = hours
        self.unitPrice = unitPrice
        self.discount = discount
        self.amount = amount
        self.project = project
    }
}

/// A tenant's invoice for one calendar month (UTC). Computed only from the month's usage sessions, the
/// price versions in force and the billing rules, so the same inputs give the same bytes; once the month
/// is over the first invoice computed is kept (`status` closed) and served unchanged ever after.
public struct Invoice: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Hashable, Sendable {
        /// The month is still running: figures grow until it ends.
        case open
        /// The month is over and the invoice was issued: it never changes.
        case closed
    }

    public var tenant: TenantID
    /// `YYYY-MM`.
    public var period: String
    public var status: Status
    public var currency: String
    public var lines: [InvoiceLine]
    /// Sum of the lines' amounts.
    public var total: Money

    public init(tenant: TenantID, period: String, status: Status, currency: String, lines: [InvoiceLine], total: Money) {
        self.tenant = tenant
        self.period = period
        self.status = status
        self.currency = currency
        self.lines = lines
        self.total = total
    }
}
