import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir grant extend|extensions|extension`: lease extensions (SPEC §5.7): asked by the owner before
/// the end, with a reason; decided by operators against the queue waiting for the capacity.
extension GrantCommand {
    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask to extend a grant's lease before it ends, with a reason; operators decide.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        @Option(help: "Days to add (at most leases.extensionMaxDays).") var days: Double
        @Option(help: "Why the lease needs more time.") var reason: String

        func run() async throws {
            let body = try JSONEncoder().encode(ExtensionInput(days: days, reason: reason))
            try ExtensionsOutput.show(try await client.client.send(.POST, "/v1/grants/\(id)/extensions", body: body), json: client.json)
        }
    }

    struct Extensions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A grant's extensions and the queue waiting for its capacity; without ID, the extensions of every active grant you may read.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String?
        @Flag(help: "Only extensions awaiting a decision.") var pending = false

        func run() async throws {
            if let id {
                return try ExtensionsOutput.show(try await client.client.get("/v1/grants/\(id)/extensions"), json: client.json, pendingOnly: pending)
            }
            guard let views = try Output.value(of: try await client.client.list("/v1/grants?state=active"), json: client.json, as: [GrantView].self) else { return }
            let rows = views.flatMap { view in (view.grant.extensions ?? []).map { (view.grant, $0) } }.filter { !pending || $0.1.state == .pending }
            print(rows.isEmpty ? "no \(pending ? "pending " : "")extensions" : ExtensionsOutput.table(rows))
        }
    }

    struct Extension: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide a pending extension (operators).", subcommands: [Approve.self, Refuse.self])

        struct Approve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Approve extension N of a grant: its end moves and the notices re-arm.")
            @OptionGroup var decision: ExtensionDecisionOptions
            func run() async throws { try await decision.send(.approve) }
        }

        struct Refuse: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Refuse extension N of a grant: it ends as planned.")
            @OptionGroup var decision: ExtensionDecisionOptions
            func run() async throws { try await decision.send(.refuse) }
        }
    }
}

struct ExtensionDecisionOptions: ParsableArguments {
    @OptionGroup var client: ClientOptions
    @Argument(help: "The grant.") var id: String
    @Argument(help: "The extension's number (see `reservoir grant extensions ID`).") var number: Int
    @Option(help: "Why; told to the owner.") var reason: String

    func send(_ verdict: ExtensionVerdict) async throws {
        let body = try JSONEncoder().encode(ExtensionDecision(verdict: verdict, reason: reason))
        try ExtensionsOutput.show(try await client.client.send(.POST, "/v1/grants/\(id)/extensions/\(number)/decision", body: body), json: client.json)
    }
}

enum ExtensionsOutput {
    static func show(_ reply: ServerReply, json: Bool, pendingOnly: Bool = false) throws {
        guard let view = try Output.value(of: reply, json: json, as: LeaseExtensionsView.self) else { return }
        print("grant \(view.grant) of \(view.tenant): \(view.state.rawValue), ends \(Cell.time(view.endsAt)); \(view.remaining) extension(s) still allowed")
        let shown = view.extensions.filter { !pendingOnly || $0.state == .pending }
        if !shown.isEmpty { print("\n" + table(shown.map { (nil, $0) })) }
        print("\nwaiting for this capacity: \(view.waiting.count) queued job(s) asking \(Cell.gpus(view.waitingGPUMilli)) GPUs")
        if !view.waiting.isEmpty {
            print(Output.table(view.waiting, columns: [
                Column("job") { $0.job?.rawValue ?? "(another tenant's)" }, Column("tenant") { $0.tenant?.rawValue ?? "-" },
                Column("class") { $0.priority.rawValue }, Column("gpus") { Cell.gpus($0.gpuMilli) },
                Column("waiting") { "\(Cell.number(($0.waitingSeconds / 3_600 * 10).rounded() / 10)) h" },
            ]))
        }
    }

    static func table(_ rows: [(Grant?, LeaseExtension)]) -> String {
        Output.table(rows, columns: [
            Column("grant") { $0.0?.id.rawValue ?? "" }, Column("n") { "\($0.1.number)" }, Column("days") { Cell.number($0.1.days) },
            Column("state") { $0.1.state.rawValue }, Column("by") { $0.1.requestedBy.rawValue }, Column("asked") { Cell.time($0.1.requestedAt) },
            Column("reason") { $0.1.reason }, Column("decided by") { $0.1.decidedBy?.rawValue ?? "-" },
            Column("decision") { $0.1.decisionReason ?? "-" },
        ].filter { column in rows.contains { $0.0 != nil } || column.header != "grant" })
    }
}
