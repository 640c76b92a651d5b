import Foundation

/// A prepaid top-up of a tenant's account by finance. Credits are only ever added (a correction is a
/// new credit, negative top-ups do not exist), so the balance is a sum that can be recomputed at any time.
public struct Credit: Codable, Hashable, Sendable {
    /// `credit-<n>`, in the order they were recorded.
    public var id: String
    public var tenant: TenantID
    /// More than zero, at most `Credit.maximumAmount`, at most two decimal places.
    public var amount: Money
    public var note: String
    /// Unix seconds.
    public var at: Double
    /// `user:ID` of the finance user who added it.
    public var actor: String

    public init(id: String, tenant: TenantID, amount: Money, note: String, at: Double, actor: String) {
        self.id = id
        self.tenant = tenant
        self.amount = amount
        self.note = note
        self.at = at
        self.actor = actor
    }

    /// The largest single top-up: far above any real one, low enough that no sum of them loses a cent.
    public static let maximumAmount = Money(Decimal(1_000_000_000))

    /// Checks a top-up amount: positive, bounded, whole cents; else a 400 naming `field`.
    public static func checkAmount(_ amount: Money, field: String = "amount") throws(ReservoirError) {
        guard amount > .zero else { throw .invalid(field, "must be more than 0 (a top-up adds money; there are no negative credits)") }
        guard amount <= maximumAmount else { throw .invalid(field, "must be at most \(maximumAmount.text()) per top-up") }
        guard amount.rounded() == amount else { throw .invalid(field, "must be whole cents (at most two decimal places)") }
    }
}

/// A tenant's prepaid account: what was credited, what was charged, what is left.
///
/// The account opens with the tenant's first credit; charges count from the month of that credit on
/// (earlier months were settled otherwise), through the running month up to now. A tenant with no
/// credit has no account: its `balance` shows the running month's charges as negative, and it is
/// never refused work for it.
public struct Balance: Codable, Hashable, Sendable {
    /// One month's charges as they count in the balance.
    public struct Month: Codable, Hashable, Sendable {
        /// `YYYY-MM`.
        public var period: String
        /// Closed: the issued invoice's total (never changes); open: the running month up to now.
        public var status: Invoice.Status
        public var total: Money

        public init(period: String, status: Invoice.Status, total: Money) {
            self.period = period
            self.status = status
            self.total = total
        }
    }

    public var tenant: TenantID
    public var currency: String
    /// Whether the tenant has a prepaid account (at least one credit).
    public var account: Bool
    /// The month of the first credit: charges count from it on.
    public var openedIn: String?
    public var credits: Money
    public var charges: Money
    /// credits − charges.
    public var balance: Money
    public var months: [Month]
    /// When it was computed (Unix seconds): the running month's charges are up to this instant.
    public var at: Double

    public init(tenant: TenantID, currency: String, openedIn: String?, credits: Money, months: [Month], at: Double) {
        self.tenant = tenant
        self.currency = currency
        self.account = openedIn != nil
        self.openedIn = openedIn
        self.credits = credits
        self.months = months
        self.charges = months.reduce(.zero) { $0 + $1.total }
        self.balance = credits - charges
        self.at = at
    }

    /// Whether new work is refused or announced (`billing.zeroBalance`): an account at or below zero.
    public var exhausted: Bool { account && balance <= .zero }
}
