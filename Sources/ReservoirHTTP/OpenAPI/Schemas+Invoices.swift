import ReservoirCore
import ReservoirServices

/// Invoices, credits, balances and showback. Money is a JSON string of exact decimal text (`"1234.50"`),
/// never a binary floating-point number.
extension Components {
    static let invoices = [invoice, invoiceLine, creditInput, credit, creditReceipt, balance, balanceMonth, showback, showbackRow]

    static let invoice = Component("Invoice", .object(required: [
        "tenant": .string(), "period": Schema.string().described("YYYY-MM (UTC)"),
        "status": Schema.cases(["open", "closed"]).described("open: the month is running; closed: issued, never changes"),
        "currency": .string(), "lines": .array(invoiceLine.ref), "total": Schema.amount.described("Sum of the lines' amounts"),
    ]))

    static let invoiceLine = Component("InvoiceLine", .object(
        required: [
            "model": .string(), "rateClass": .cases(RateClass.self),
            "hours": Schema.number(minimum: 0).described("Device-hours billed (a share or MIG slice is its fraction), to six places"),
            "unitPrice": Schema.amount.described("Price per device-hour of the version in force"),
            "discount": Schema.number(0...1).described("Fraction taken off by the volume discount (0.1 for ×0.9)"),
            "amount": Schema.amount.described("hours × unitPrice × (1 − discount), rounded to the cent half away from zero"),
        ],
        optional: ["project": Schema.string().described("The project charged (showback lines)")]))

    static let creditInput = Component("CreditInput", .input(required: [
        "amount": Schema.string(maxBytes: 40, minLength: 1, pattern: #"^[0-9]+(\.[0-9]{1,2})?$"#)
            .described("More than 0, at most 1000000000, whole cents, as decimal text (a JSON number is read too)"),
        "note": Schema.name.described("Why: the payment or purchase order behind it"),
    ]))

    static let credit = Component("Credit", .object(required: [
        "id": Schema.string().described("credit-<n>"), "tenant": .string(), "amount": .amount, "note": .string(),
        "at": Schema.number().described("Unix seconds"), "actor": Schema.string().described("user:ID of the finance user"),
    ]))

    static let creditReceipt = Component("CreditReceipt", .object(required: ["credit": credit.ref, "balance": balance.ref]))

    static let balance = Component("Balance", .object(
        required: [
            "tenant": .string(), "currency": .string(),
            "account": Schema.boolean.described("Whether the tenant has a prepaid account (at least one credit); only then can a zero balance block work"),
            "credits": .amount, "charges": Schema.amount.described("The months' totals below"), "balance": Schema.amount.described("credits − charges"),
            "months": .array(balanceMonth.ref), "at": Schema.number().described("Unix seconds: the running month is charged up to here"),
        ],
        optional: ["openedIn": Schema.string().described("YYYY-MM of the first credit: charges count from this month on")]))

    static let balanceMonth = Component("BalanceMonth", .object(required: [
        "period": .string(), "status": .cases(["open", "closed"]), "total": .amount,
    ]))

    static let showback = Component("Showback", .object(required: [
        "period": .string(), "status": .cases(["open", "closed"]), "currency": .string(), "rows": .array(showbackRow.ref),
        "total": Schema.amount.described("Sum of the rows' totals"),
    ]))

    static let showbackRow = Component("ShowbackRow", .object(
        required: [
            "tenant": .string(), "deviceHours": Schema.number(minimum: 0).described("On-demand and spot device-hours used"),
            "amount": Schema.amount.described("What they cost, after the tenant's volume discount"),
            "reservedIdleHours": Schema.number(minimum: 0).described("Reserved device-hours (guaranteed quota, grants) left idle"),
            "reservedIdleCost": .amount, "total": Schema.amount.described("amount + reservedIdleCost"),
        ],
        optional: ["project": Schema.string().described("The project; absent: work and quota tied to no project")]))
}

extension Schema {
    /// An amount of money as exact decimal text (`Money`).
    static let amount = string(maxBytes: 48, minLength: 1, pattern: #"^-?[0-9]+\.[0-9]{2,12}$"#).described("Exact decimal text, e.g. \"1234.50\"")
}
