import ArgumentParser
import Foundation
import ReservoirCore

/// `reservoir grant return ID`: the owner gives a grant back early.
struct ReturnGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "Return a grant early: its jobs stop (after their checkpoint grace) and the GPUs go back to the pool.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The grant id (grant-…).") var id: String
    @Option(help: "Why, for the record.") var reason: String?

    func run() async throws {
        let query = reason.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) }.map { "?reason=\($0)" } ?? ""
        try ReclamationText.done(try await client.client.send(.POST, "/v1/grants/\(id)/return\(query)"), client: client)
    }
}

/// `reservoir grant reclaim ID --approval T --reason R`: an operator takes a grant back by force.
struct ReclaimGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim", abstract: "Take a grant back by force (operators): only with an approval record; its jobs stop after their checkpoint grace.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The grant id (grant-…).") var id: String
    @Option(help: "The approval record behind it, e.g. the ticket (required).") var approval: String
    @Option(help: "Why it is taken back; told to the owner.") var reason: String

    func run() async throws {
        try ReclamationText.done(try await client.client.json(.POST, "/v1/grants/\(id)/reclaim", ["approval": approval, "reason": reason]), client: client)
    }
}

/// `reservoir reclamations --month 2026-11`: what was taken back that month, why, from whom, and what it freed.
struct Reclamations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reclamations of a month: what was taken back, why, from whom, when, who approved it and the GPU-hours freed.")
    @OptionGroup var client: ClientOptions
    @Option(help: "The month, YYYY-MM (UTC); default: this month.") var month: String?
    @Option(help: "Only reclamations of this tenant (members: their own).") var tenant: String?
    @Option(help: "Only reclamations for this reason: \(ReclamationReason.allCases.map(\.rawValue).joined(separator: ", ")).") var reason: String?
    @Option(help: "At most this many records.") var limit = 1000

    func run() async throws {
        var query: [String] = []
        if let month { query.append("month=\(month)") }
        if let tenant { query.append("tenant=\(tenant)") }
        if let reason { query.append("reason=\(reason)") }
        let reply = try await client.client.list("/v1/reclamations?" + query.joined(separator: "&"), limit: limit)
        guard let records = try Output.value(of: reply, json: client.json, as: [ReclamationRecord].self) else { return }
        print(Output.table(records, columns: ReclamationText.columns))
        let freed = records.reduce(0) { $0 + $1.freedGPUHours }
        print("\n\(records.count) reclamation\(records.count == 1 ? "" : "s"), \(Cell.number(freed)) GPU-hours freed")
    }
}

/// How reclamations read on a terminal.
enum ReclamationText {
    static var columns: [Column<ReclamationRecord>] { [
        .time("at", \.at), Column("what") { "\($0.kind.rawValue) \($0.object)" }, Column("why") { $0.reason.rawValue },
        Column("tenant") { $0.tenant.rawValue }, Column("gpus") { Cell.gpus($0.gpuMilli) }, Column("by") { $0.actor },
        Column("approved_by") { $0.approvedBy ?? "-" }, Column("freed_gpu_h") { Cell.number($0.freedGPUHours) },
        Column("jobs") { "\($0.jobs.count)" }, Column("note") { $0.note },
    ] }

    /// Prints a reclamation just made: what, and what happens to its jobs.
    static func done(_ reply: ServerReply, client: ClientOptions) throws {
        guard let r = try Output.value(of: reply, json: client.json, as: ReclamationRecord.self) else { return }
        print("\(r.kind.rawValue) \(r.object): taken back (\(r.reason.rawValue)); \(Cell.gpus(r.gpuMilli)) GPUs, \(Cell.number(r.freedGPUHours)) GPU-hours freed")
        if !r.jobs.isEmpty { print("stopping \(r.jobs.map(\.rawValue).joined(separator: ", ")) (running jobs checkpoint first)") }
    }
}
