import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir invoice --tenant nlp --month 2026-11 [--csv|--json] [-o FILE]`: a tenant's invoice for a month.
struct InvoiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "A tenant's invoice for a month: line items adding up to the cent; a month that is over is issued once and never changes.")
    @OptionGroup var client: ClientOptions
    @Option(help: "The tenant invoiced (members: their own, the default).") var tenant: String?
    @Option(help: "The month, YYYY-MM (UTC); default: the running month.") var month: String?
    @Flag(help: "Export as CSV (one row per line item and a total row).") var csv = false
    @Option(name: [.short, .customLong("output")], help: "Write the export (JSON, or CSV with --csv) to this file instead of printing a table.")
    var output: String?

    func run() async throws {
        var query = ["format=\(csv ? "csv" : "json")"]
        if let tenant { query.append("tenant=\(tenant)") }
        if let month { query.append("month=\(month)") }
        let reply = try await client.client.get("/v1/invoices?" + query.joined(separator: "&"))
        if let output {
            try reply.data.write(to: URL(fileURLWithPath: output))
            print("wrote \(output) (\(reply.data.count) bytes)")
        } else if csv || client.json {
            FileHandle.standardOutput.write(reply.data)
        } else {
            let invoice = try reply.decode(Invoice.self)
            print("invoice \(invoice.tenant) \(invoice.period) (\(invoice.status.rawValue)), \(invoice.currency)")
            print(Output.table(invoice.lines, columns: BillingText.lineColumns))
            print("\ntotal \(invoice.total.text()) \(invoice.currency)")
        }
    }
}

/// `reservoir balance [--tenant T]`: prepaid balances.
struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance", abstract: "Prepaid balances: credits minus charges from the account's opening month through now.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only this tenant (members: their own).") var tenant: String?

    func run() async throws {
        let reply = try await client.client.list("/v1/balances" + (tenant.map { "?tenant=\($0)" } ?? ""))
        guard let balances = try Output.value(of: reply, json: client.json, as: [Balance].self) else { return }
        print(Output.table(balances, columns: [
            Column("tenant") { $0.tenant.rawValue }, Column("account") { $0.account ? "since \($0.openedIn ?? "-")" : "none" },
            Column("credits") { $0.credits.text() }, Column("charges") { $0.charges.text() }, Column("balance") { $0.balance.text() },
            Column("currency") { $0.currency }, Column("state") { $0.exhausted ? "EXHAUSTED" : "ok" },
        ]))
    }
}

/// `reservoir credit add TENANT --amount 500.00 --note N`: finance tops up a prepaid account.
struct CreditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit", abstract: "Prepaid credit (finance).", subcommands: [AddCredit.self])
}

struct AddCredit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Top up a tenant's prepaid account (finance only).")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The tenant.") var tenant: String
    @Option(help: "The amount, e.g. 500.00 (more than 0, whole cents).") var amount: String
    @Option(help: "Why: the payment or purchase order behind it.") var note: String

    func run() async throws {
        let reply = try await client.client.json(.POST, "/v1/tenants/\(tenant)/credits", ["amount": amount, "note": note])
        guard let receipt = try Output.value(of: reply, json: client.json, as: CreditReceipt.self) else { return }
        let b = receipt.balance
        print("\(receipt.credit.id): \(receipt.credit.amount.text()) \(b.currency) credited to \(b.tenant); balance \(b.balance.text()) \(b.currency)")
    }
}

/// `reservoir showback --month 2026-11 [--tenant T]`: per tenant and project, what was used, what it cost,
/// and what reserved capacity left idle cost.
struct ShowbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "showback",
        abstract: "Showback/chargeback of a month per tenant and project: device-hours, amount, reserved-but-idle hours and their cost.")
    @OptionGroup var client: ClientOptions
    @Option(help: "The month, YYYY-MM (UTC); default: the running month.") var month: String?
    @Option(help: "Only this tenant (members: their own).") var tenant: String?

    func run() async throws {
        var query: [String] = []
        if let month { query.append("month=\(month)") }
        if let tenant { query.append("tenant=\(tenant)") }
        let reply = try await client.client.get("/v1/showback?" + query.joined(separator: "&"))
        guard let showback = try Output.value(of: reply, json: client.json, as: Showback.self) else { return }
        print("showback \(showback.period) (\(showback.status.rawValue)), \(showback.currency)")
        print(Output.table(showback.rows, columns: [
            Column("tenant") { $0.tenant.rawValue }, Column("project") { $0.project ?? "-" }, Column("device_h") { BillingText.hours($0.deviceHours) },
            Column("amount") { $0.amount.text() }, Column("idle_reserved_h") { BillingText.hours($0.reservedIdleHours) },
            Column("idle_cost") { $0.reservedIdleCost.text() }, Column("total") { $0.total.text() },
        ]))
        print("\ntotal \(showback.total.text()) \(showback.currency)")
    }
}

/// How billing figures read on a terminal.
enum BillingText {
    static var lineColumns: [Column<InvoiceLine>] { [
        Column("model") { $0.model }, Column("class") { $0.rateClass.rawValue }, Column("project") { $0.project ?? "-" },
        Column("hours") { hours($0.hours) }, Column("unit_price") { $0.unitPrice.exactText },
        Column("discount") { $0.discount == 0 ? "-" : "\(($0.discount * 100).description)%" }, Column("amount") { $0.amount.text() },
    ] }

    /// Hours to two places for reading (the export keeps every place).
    static func hours(_ hours: Decimal) -> String { ReservoirCore.Money(hours).text() }
}
