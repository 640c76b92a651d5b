import Hummingbird
import ReservoirCore
import ReservoirServices

/// `/console/billing`: a month's balances, invoices (with their CSV and JSON downloads), usage and
/// showback/chargeback; `/console/billing/invoices/{TENANT-YYYY-MM}.csv|.json`: an invoice's export, the
/// same bytes and content type `GET /v1/invoices` answers. Finance and operators see every tenant, a member
/// only theirs — the use cases decide, as for the API.
struct BillingPages: ConsolePageGroup {
    static let billing = ConsolePage(id: "billing", title: "Billing", section: .billing, action: .readBilling, navPath: "/console/billing")

    var pages: [ConsolePage] { [Self.billing] }
    var templates: [String: String] { ["billing": Self.template] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/billing", Self.billing) { request in
            let filter: BillingModel.Filter
            do {
                filter = try BillingModel.Filter(request)
            } catch let error as ReservoirError where error.field == "month" {
                return .render(Self.billing, "billing", try Self.filterData(request, error: error), status: error.httpStatus)
            }
            var data = try BillingModel.build(request, filter: filter).data
            data.merge(try Self.filterData(request, error: nil)) { _, filter in filter }
            data["month"] = filter.month.description
            data["hasData"] = true
            return .render(Self.billing, "billing", data)
        }
        routes.get("/console/billing/invoices/{file}", Self.billing) { request in
            let (tenant, month, csv) = try InvoiceFile.parse(try request.parameter("file"))
            let document = try request.reservoir.invoices.invoice(tenant: tenant, month: month, by: request.principal)
            let file = "invoice-\(InvoiceFile.name(tenant: document.invoice.tenant, month: document.invoice.period))"
            return csv
                ? .download(filename: file + ".csv", contentType: "text/csv; charset=utf-8", body: document.csv)
                : .download(filename: file + ".json", contentType: "application/json", body: String(decoding: document.json, as: UTF8.self))
        }
    }

    /// The month field (with its error, if the month asked was refused) and the tenant filter's options.
    static func filterData(_ request: ConsoleRequest, error: ReservoirError?) throws -> [String: any Sendable] {
        let chosen = request.query("tenant").map { TenantID($0) }
        return [
            "monthField": [FormField(
                "month", label: "Month", type: "month", value: request.query("month") ?? ReportMonth(containing: request.reservoir.now()).description,
                hint: "YYYY-MM", error: error)],
            "tenantOptions": try BillingModel.tenantOptions(request: request, chosen: chosen),
        ]
    }

    static let template = """
        {{<layout}}{{$main}}
        <form method="get" action="/console/billing" class="filters" id="billing-filter">
        {{#monthField}}{{> field}}{{/monthField}}
        <div class="field"><label for="tenant">Tenant</label>
        <select id="tenant" name="tenant">{{#tenantOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tenantOptions}}</select></div>
        <button type="submit">Show</button>
        </form>
        {{#hasData}}
        <p class="hint">Figures of {{month}}; the <a href="/console/reports/{{month}}">monthly report of {{month}}</a> has the whole reservoir's.</p>
        <section aria-labelledby="balance-heading">
        <h2 id="balance-heading">Balance (prepaid funds)</h2>
        {{#hasBalances}}
        <div class="table-wrap"><table id="balances">
        <thead><tr><th scope="col">Tenant</th><th scope="col">Account</th><th scope="col">Opened in</th><th scope="col" class="num">Credits</th><th scope="col" class="num">Charges</th><th scope="col" class="num">Balance</th><th scope="col">Currency</th></tr></thead>
        <tbody>
        {{#balances}}<tr><th scope="row">{{tenant}}</th><td>{{account}}</td><td>{{openedIn}}</td><td class="num">{{credits}}</td><td class="num">{{charges}}</td><td class="num{{#negative}} negative{{/negative}}">{{balance}}</td><td>{{currency}}</td></tr>{{/balances}}
        </tbody>
        </table></div>
        {{/hasBalances}}
        {{^hasBalances}}<p class="empty">No tenant to show.</p>{{/hasBalances}}
        </section>
        <section aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        {{#hasInvoices}}
        <div class="table-wrap"><table id="invoices">
        <thead><tr><th scope="col">Tenant</th><th scope="col">Month</th><th scope="col">Status</th><th scope="col" class="num">Total</th><th scope="col">Currency</th><th scope="col">Download</th></tr></thead>
        <tbody>
        {{#invoices}}<tr{{#chosen}} class="chosen"{{/chosen}}><th scope="row">{{tenant}}</th><td>{{period}}</td><td>{{status}}</td><td class="num">{{total}}</td><td>{{currency}}</td><td><a href="{{csv}}" download>CSV</a> · <a href="{{json}}" download>JSON</a></td></tr>{{/invoices}}
        </tbody>
        </table></div>
        <p class="hint">Every month since a prepaid account opened, and the month chosen: issued (closed) invoices first, they never change; then the running month's (open: figures up to now).</p>
        {{/hasInvoices}}
        {{^hasInvoices}}<p class="empty">No invoice to show.</p>{{/hasInvoices}}
        </section>
        {{#showUsage}}
        <section aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage</h2>
        <p class="hint">Metered GPU-hours from {{usagePeriod}} (sessions still open counted up to now).</p>
        {{#hasUsage}}
        <div class="table-wrap"><table id="usage">
        <thead><tr><th scope="col">Tenant</th><th scope="col">Project</th><th scope="col">Model</th><th scope="col" class="num">GPU-hours</th></tr></thead>
        <tbody>
        {{#usage}}<tr><th scope="row">{{tenant}}</th><td>{{project}}</td><td>{{model}}</td><td class="num">{{gpuHours}}</td></tr>{{/usage}}
        <tr><th scope="row">Total</th><td></td><td></td><td class="num">{{usageTotal}}</td></tr>
        </tbody>
        </table></div>
        {{/hasUsage}}
        {{^hasUsage}}<p class="empty">No usage in this period.</p>{{/hasUsage}}
        </section>
        {{/showUsage}}
        <section aria-labelledby="showback-heading">
        <h2 id="showback-heading">Chargeback and showback</h2>
        <p class="hint">Per tenant and project ({{showbackStatus}}): device-hours used and their cost, and reserved hours left idle, charged to their owner.</p>
        {{#hasShowback}}
        <div class="table-wrap"><table id="showback">
        <thead><tr><th scope="col">Tenant</th><th scope="col">Project</th><th scope="col" class="num">Device-hours</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Reserved idle hours</th><th scope="col" class="num">Idle cost</th><th scope="col" class="num">Total ({{showbackCurrency}})</th></tr></thead>
        <tbody>
        {{#showback}}<tr><th scope="row">{{tenant}}</th><td>{{project}}</td><td class="num">{{deviceHours}}</td><td class="num">{{amount}}</td><td class="num">{{idleHours}}</td><td class="num">{{idleCost}}</td><td class="num">{{total}}</td></tr>{{/showback}}
        <tr><th scope="row">Total</th><td></td><td></td><td></td><td></td><td></td><td class="num">{{showbackTotal}}</td></tr>
        </tbody>
        </table></div>
        {{/hasShowback}}
        {{^hasShowback}}<p class="empty">Nothing charged this month.</p>{{/hasShowback}}
        </section>
        {{/hasData}}
        {{/main}}{{/layout}}
        """
}
