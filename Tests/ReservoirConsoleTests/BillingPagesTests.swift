import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// `/console/billing`, its invoice downloads and `/console/reports`: who sees which tenants, that a download
/// is the API's export byte for byte, and that the embedded monthly report keeps the CSP.
@Suite struct BillingPagesTests {
    /// A finance user (no tenant) and its token, made by the operator.
    static func finance(_ reservoir: Reservoir) throws -> String {
        let admin = try reservoir.access.authenticate(bearer: ConsoleServer.operatorToken)
        _ = try reservoir.tenancy.createUser(User(id: "fin", roles: [.finance]), by: admin)
        return try reservoir.access.issueToken(for: "fin", by: admin).1
    }

    static func previousMonth(_ reservoir: Reservoir) -> String {
        ReportMonth(containing: ReportMonth(containing: reservoir.now()).since - 1).description
    }

    @Test func financeSeesEveryTenantsBalanceInvoicesAndChargeback() async throws {
        try await ConsoleServer.withFixture { port, _, reservoir in
            let user = try await ConsoleBrowser.signedIn(port: port, token: try Self.finance(reservoir))
            let page = try await user.get("/console/billing")
            #expect(page.status == 200 && page.pageID == "billing")
            let month = ReportMonth(containing: reservoir.now()).description
            for tenant in ["alpha", "beta"] {
                #expect(page.html.contains(#"<a href="/console/billing/invoices/\#(tenant)-\#(month).csv" download>CSV</a>"#), "\(tenant)")
                #expect(page.html.contains(#"<a href="/console/billing/invoices/\#(tenant)-\#(month).json" download>JSON</a>"#), "\(tenant)")
            }
            for part in [#"<table id="balances">"#, #"<table id="invoices">"#, "Chargeback and showback", "Usage", #"<a href="/console/reports/\#(month)">"#] {
                #expect(page.html.contains(part), "\(part)")
            }
            #expect(!page.html.contains("style="))

            let earlier = try await user.get("/console/billing?month=\(Self.previousMonth(reservoir))")
            let links = earlier.html.matches(of: /href="\/console\/billing\/invoices\/([a-z]+-[0-9-]+)\.csv"/).map { String($0.1) }
            let previous = Self.previousMonth(reservoir)
            #expect(links == ["alpha-\(previous)", "beta-\(previous)", "alpha-\(month)", "beta-\(month)"], "issued invoices first, then the running month's")
            #expect(earlier.html.contains(#"<input id="month" name="month" type="month" value="\#(previous)">"#))
        }
    }

    @Test func aMembersBillingShowsOnlyItsTenantAndAnotherTenantsInvoiceIsRefused() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await alice.get("/console/billing")
            #expect(page.status == 200)
            #expect(page.html.contains("/console/billing/invoices/alpha-"))
            #expect(!page.html.contains("beta"), "nothing of beta, not even in the tenant filter")
            let month = ReportMonth(containing: Date().timeIntervalSince1970).description
            #expect(try await alice.get("/console/billing/invoices/beta-\(month).csv").status == 403)
            #expect(try await alice.get("/console/billing?tenant=beta").status == 403)
        }
    }

    @Test func anInvoiceDownloadIsTheAPIsExportByteForByte() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let user = try await ConsoleBrowser.signedIn(port: port, token: try Self.finance(reservoir))
            let api = ConsoleBrowser(port: port)
            let month = Self.previousMonth(reservoir)
            for (ext, format, type) in [("csv", "csv", "text/csv; charset=utf-8"), ("json", "json", "application/json")] {
                let download = try await user.get("/console/billing/invoices/alpha-\(month).\(ext)")
                #expect(download.status == 200)
                #expect(download.headers["content-type"] == type)
                #expect(download.headers["content-disposition"] == #"attachment; filename="invoice-alpha-\#(month).\#(ext)""#)
                let served = try await api.get("/v1/invoices?tenant=alpha&month=\(month)&format=\(format)", headers: ["Authorization": "Bearer \(tokens.operator)"])
                #expect(served.status == 200 && served.headers["content-type"] == type)
                #expect(download.html == served.html, "\(ext): the console's bytes are the API's")
            }
            #expect(try await user.get("/console/billing/invoices/alpha-\(month).pdf").status == 404)
            #expect(try await user.get("/console/billing/invoices/alpha.csv").status == 404)
            #expect(try await user.get("/console/billing/invoices/gamma-\(month).csv").status == 404)
        }
    }

    @Test func aMonthNotBegunIsShownNextToTheMonthField() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let page = try await user.get("/console/billing?month=2999-01")
            #expect(page.status == 400)
            #expect(page.fieldError("month")?.contains("has not begun") == true)
            #expect(page.html.contains(#"aria-invalid="true""#))
            #expect(try await user.get("/console/billing?month=12-2026").fieldError("month") != nil)
        }
    }

    @Test func theMonthlyReportIsEmbeddedWithoutInlineStyleAndListedByMonth() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let month = ReportMonth(containing: reservoir.now()).description
            let list = try await alice.get("/console/reports")
            #expect(list.status == 200 && list.pageID == "reports")
            #expect(list.html.contains(#"<a href="/console/reports/\#(month)">"#) && list.html.contains(#"<a href="/console/reports/\#(Self.previousMonth(reservoir))">"#))
            let report = try await alice.get("/console/reports/\(month)")
            #expect(report.status == 200 && report.pageID == "report")
            #expect(report.html.contains("<h1>Transparency report \(month)</h1>"))
            #expect(report.html.components(separatedBy: "<h1>").count == 2, "the report's own title is the page's one h1")
            #expect(report.html.contains("Headline and trend") && report.html.contains(#"<svg xmlns="http://www.w3.org/2000/svg" class="chart""#))
            #expect(!report.html.contains("style=") && !report.html.contains("<style"), "the CSP forbids inline style")
            #expect(!report.html.contains("<th>"), "every header cell is scoped")
            #expect(try await alice.get("/console/reports/2999-01").status == 400)
            #expect(try await alice.get("/console/reports/junk").status == 400)
        }
    }
}
