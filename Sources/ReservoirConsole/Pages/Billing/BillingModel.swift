import Foundation
import ReservoirCore
import ReservoirServices

/// What the billing page shows for one month, read through the same use cases as the API with the
/// signed-in principal (so a member sees only their tenant, as `/v1/...` answers them): prepaid balances
/// (`/v1/balances`), each tenant's invoice with its downloads (`/v1/invoices`), metered usage by tenant,
/// project and model (`/v1/usage`) and the showback/chargeback per project (`/v1/showback`).
struct BillingModel {
    var data: [String: any Sendable] = [:]

    /// Tenants listed at most (pages of balances): the page is a summary, not an export.
    static let tenantLimit = 500

    /// The month asked for (`month`, default the running one) and the tenant filter (`tenant`, optional).
    struct Filter {
        var month: ReportMonth
        var tenant: TenantID?

        init(_ request: ConsoleRequest) throws {
            let now = request.reservoir.now()
            month = try request.query("month").map { text throws(ReservoirError) in try ReportMonth(text) } ?? ReportMonth(containing: now)
            guard month.since <= now else { throw ReservoirError.invalid("month", "\(month) has not begun yet; choose this month or an earlier one") }
            tenant = request.query("tenant").map { TenantID($0) }
        }
    }

    static func build(_ request: ConsoleRequest, filter: Filter) throws -> BillingModel {
        let reservoir = request.reservoir, principal = request.principal
        let month = filter.month.description
        var model = BillingModel()

        let balances = try Self.balances(request, tenant: filter.tenant)
        model.data["hasBalances"] = !balances.isEmpty
        model.data["balances"] = balances.map { b -> [String: any Sendable] in
            [
                "tenant": b.tenant.rawValue, "account": b.account ? "prepaid" : "no account", "openedIn": b.openedIn ?? "–",
                "credits": b.credits.description, "charges": b.charges.description, "balance": b.balance.description,
                "negative": b.balance < .zero, "currency": b.currency,
            ]
        }

        let invoices = try Self.invoices(request, balances: balances, month: filter.month)
        model.data["invoices"] = invoices.map { invoice -> [String: any Sendable] in
            let file = InvoiceFile.name(tenant: invoice.tenant, month: invoice.period)
            return [
                "tenant": invoice.tenant.rawValue, "period": invoice.period, "status": invoice.status.rawValue, "total": invoice.total.description,
                "currency": invoice.currency, "chosen": invoice.period == month,
                "csv": "/console/billing/invoices/\(file).csv", "json": "/console/billing/invoices/\(file).json",
            ]
        }
        model.data["hasInvoices"] = !invoices.isEmpty

        if request.may(.readUsage) {
            let now = reservoir.now()
            let usage = try reservoir.metering.usage(
                since: filter.month.since, until: min(filter.month.until, now), tenant: filter.tenant, page: PageRequest(limit: 1), by: principal)
            model.data["showUsage"] = true
            model.data["usagePeriod"] = "\(ConsoleFormat.time(usage.since)) to \(ConsoleFormat.time(usage.until))"
            model.data["hasUsage"] = !usage.lines.isEmpty
            model.data["usage"] = usage.lines.map { line -> [String: any Sendable] in
                ["tenant": line.tenant, "project": line.project ?? "(none)", "model": line.model, "gpuHours": SVG.figure(line.gpuHours, digits: 2)]
            }
            model.data["usageTotal"] = SVG.figure(usage.lines.reduce(0) { $0 + $1.gpuHours }, digits: 2)
        }

        let showback = try reservoir.invoices.showback(month: month, tenant: filter.tenant, by: principal)
        model.data["showbackStatus"] = showback.status.rawValue
        model.data["showbackCurrency"] = showback.currency
        model.data["showbackTotal"] = showback.total.description
        model.data["hasShowback"] = !showback.rows.isEmpty
        model.data["showback"] = showback.rows.map { row -> [String: any Sendable] in
            [
                "tenant": row.tenant.rawValue, "project": row.project ?? "(none)", "deviceHours": hours(row.deviceHours),
                "amount": row.amount.description, "idleHours": hours(row.reservedIdleHours), "idleCost": row.reservedIdleCost.description,
                "total": row.total.description,
            ]
        }
        return model
    }

    /// One invoice of the list: a tenant's month, its status and total.
    struct Listed {
        var tenant: TenantID
        var period: String
        var status: Invoice.Status
        var total: Money
        var currency: String
    }

    /// The invoices listed: each tenant's months its balance counts (every month since its prepaid account
    /// opened, as `/v1/balances` computed them) and the chosen month's (`/v1/invoices`) when the balance does
    /// not count it. Issued ones first (closed: they never change, the ones to download), then the running
    /// month's; newest month first, then by tenant.
    static func invoices(_ request: ConsoleRequest, balances: [Balance], month: ReportMonth) throws -> [Listed] {
        try balances.flatMap { balance -> [Listed] in
            var listed = balance.months.map { Listed(tenant: balance.tenant, period: $0.period, status: $0.status, total: $0.total, currency: balance.currency) }
            if !listed.contains(where: { $0.period == month.description }) {
                let invoice = try request.reservoir.invoices.invoice(tenant: balance.tenant, month: month.description, by: request.principal).invoice
                listed.append(Listed(tenant: invoice.tenant, period: invoice.period, status: invoice.status, total: invoice.total, currency: invoice.currency))
            }
            return listed
        }.sorted { ($0.status == .closed ? 0 : 1, $1.period, $0.tenant.rawValue) < ($1.status == .closed ? 0 : 1, $0.period, $1.tenant.rawValue) }
    }

    /// Balances of every tenant the caller may read (members: their own; `tenant` alone when given), page after page.
    static func balances(_ request: ConsoleRequest, tenant: TenantID?) throws -> [Balance] {
        var all: [Balance] = []
        var page = PageRequest(limit: 100)
        while all.count < tenantLimit {
            let batch = try request.reservoir.invoices.balances(tenant: tenant, page: page, by: request.principal)
            all += batch.items
            guard let next = batch.next else { break }
            page.cursor = next
        }
        return all
    }

    /// The tenant filter's options: "all" and every tenant the caller may read (`/v1/tenants`: members their own).
    static func tenantOptions(request: ConsoleRequest, chosen: TenantID?) throws -> [[String: any Sendable]] {
        var names: [String] = []
        var page = PageRequest(limit: PageRequest.maximumLimit)
        while names.count < tenantLimit {
            let batch = try request.reservoir.tenancy.listTenants(page: page, by: request.principal)
            names += batch.items.map(\.id.rawValue)
            guard let next = batch.next else { break }
            page.cursor = next
        }
        return [["value": "", "label": "All I may see", "selected": chosen == nil]]
            + names.map { ["value": $0, "label": $0, "selected": $0 == chosen?.rawValue] }
    }

    /// Device-hours with two decimals (the exact figure is in the downloads).
    static func hours(_ value: Decimal) -> String {
        SVG.figure(NSDecimalNumber(decimal: value).doubleValue, digits: 2)
    }
}

/// An invoice's file name in the console's download URLs: `TENANT-YYYY-MM` (then `.csv` or `.json`).
enum InvoiceFile {
    static func name(tenant: TenantID, month: String) -> String { "\(tenant.rawValue)-\(month)" }

    /// The tenant and month of `TENANT-YYYY-MM.EXT`, and the export asked (`csv` or `json`); anything else is a 404.
    static func parse(_ file: String) throws -> (tenant: TenantID, month: String, csv: Bool) {
        let parts = file.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let ext = parts.last, ext == "csv" || ext == "json" else {
            throw ReservoirError.notFound("invoice", "an invoice downloads as TENANT-YYYY-MM.csv or .json, not \(file)")
        }
        let stem = parts.dropLast().joined(separator: ".")
        guard stem.count > 8, stem.dropLast(7).hasSuffix("-") else {
            throw ReservoirError.notFound("invoice", "an invoice downloads as TENANT-YYYY-MM.csv or .json, not \(file)")
        }
        return (TenantID(String(stem.dropLast(8))), String(stem.suffix(7)), ext == "csv")
    }
}
