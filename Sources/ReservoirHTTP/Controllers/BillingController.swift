import Foundation
import Hummingbird
import ReservoirCore
import ReservoirServices

/// Invoices (JSON or CSV), prepaid credits, balances and showback/chargeback.
struct BillingController {
    let reservoir: Reservoir

    /// How an invoice is exported: `?format=` wins over the `Accept` header; JSON by default.
    enum ExportFormat: String, CaseIterable {
        case json, csv

        static func of(_ request: Request) throws -> ExportFormat {
            if let asked = try request.query("format", oneOf: ExportFormat.self) { return asked }
            return (request.headers[.accept] ?? "").contains("text/csv") ? .csv : .json
        }
    }

    /// A credit top-up's body: the amount as decimal text, or a JSON number read as the decimal it spells.
    struct CreditInput: Decodable {
        let amount: Money
        let note: String

        enum CodingKeys: String, CodingKey { case amount, note }

        init(from decoder: any Decoder) throws {
            let body = try decoder.container(keyedBy: CodingKeys.self)
            note = try body.decode(String.self, forKey: .note)
            if let number = try? body.decode(Double.self, forKey: .amount) {
                guard let exact = Money(writtenAs: number) else { throw ReservoirError.invalid("amount", "must be a finite number") }
                amount = exact
            } else {
                amount = try body.decode(Money.self, forKey: .amount)
            }
        }
    }

    static let monthParameter = QueryParameter(
        "month", Schema.string(maxBytes: 7, minLength: 7, pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM (UTC); default: the running month; a later one is 400")

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/invoices", "A tenant's invoice for a month: line items (model, rate class, hours, unit price, discount, amount) adding up to the cent; open while the month runs, issued (closed) on the first read after it ends and then served byte-identical for ever; JSON, or CSV with `format=csv` or `Accept: text/csv` (members: their own tenant)",
                action: .readBilling,
                query: [
                    .id("tenant", "The tenant invoiced (members: their own, the default; others must name one)"), Self.monthParameter,
                    QueryParameter("format", .cases(ExportFormat.self), "json (default) or csv (also chosen by `Accept: text/csv`)"),
                ],
                answers: .ok(Components.invoice, or: ["text/csv"]), errors: [.forbidden, .notFound]
            ) { r, _, p in
                let document = try reservoir.invoices.invoice(tenant: r.query("tenant").map { TenantID($0) }, month: r.query("month"), by: p)
                switch try ExportFormat.of(r) {
                case .json: return Coding.text(String(decoding: document.json, as: UTF8.self), contentType: "application/json")
                case .csv: return Coding.text(document.csv, contentType: "text/csv; charset=utf-8")
                }
            },
            APIRoute(.post, "/v1/tenants/{id}/credits", "Top up a tenant's prepaid account (finance only): amount more than 0, whole cents, bounded; answers the credit and the balance after it; a retry with the same `Idempotency-Key` adds nothing and answers the first credit",
                action: .manageBilling, body: .decoded(Components.creditInput), query: [.idempotencyKey], answers: .created(Components.creditReceipt),
                errors: [.forbidden, .conflict]
            ) { r, c, p in
                let body = try await Coding.decode(CreditInput.self, from: r, context: c)
                return try Coding.json(
                    try reservoir.invoices.addCredit(
                        tenant: TenantID(try c.parameter("id")), amount: body.amount, note: body.note, idempotencyKey: r.idempotencyKey, by: p),
                    status: .created)
            },
            APIRoute(.get, "/v1/balances", "Prepaid balances by tenant: credits minus charges from the account's opening month through the running one, up to now (members: their own tenant)",
                action: .readBilling, query: [.id("tenant", "Only this tenant (members: their own)")],
                answers: .page(of: Components.balance), errors: [.forbidden, .notFound]
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.invoices.balances(tenant: r.query("tenant").map { TenantID($0) }, page: page, by: p), for: r, page)
            },
            APIRoute(.get, "/v1/showback", "Showback/chargeback of a month per tenant and project: device-hours and amount, and the reserved-but-idle hours and their cost charged to their owner (members: their own tenant)",
                action: .readBilling, query: [Self.monthParameter, .id("tenant", "Only this tenant (members: their own)")],
                answers: .ok(Components.showback), errors: [.forbidden, .notFound]
            ) { r, _, p in
                try Coding.json(try reservoir.invoices.showback(month: r.query("month"), tenant: r.query("tenant").map { TenantID($0) }, by: p))
            },
        ]
    }
}
