import ArgumentParser
import ReservoirCore
import ReservoirServices

/// `reservoir grant list|show|review`: grants (what approved requests became), their use, and on the green
/// channel what their jobs preempted.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Grants: quotas with a time window that approved requests became; their use and what they preempted.",
        subcommands: [List.self, Show.self, Extend.self, Extensions.self, Extension.self, ReturnGrant.self, ReclaimGrant.self, Review.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List grants, newest first.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only grants of this tenant (members: their own).") var tenant: String?
        @Option(help: "Only grants in this state: \(GrantState.allCases.map(\.rawValue).joined(separator: ", ")).") var state: String?
        @Flag(help: "Only green-channel (emergency) grants, with the jobs they preempted.") var emergency = false
        @Option(help: "At most this many grants.") var limit = 100

        func run() async throws {
            var query: [String] = []
            if let tenant { query.append("tenant=\(tenant)") }
            if let state { query.append("state=\(state)") }
            if emergency { query.append("emergency=true") }
            try Output.rows(try await client.client.list("/v1/grants?" + query.joined(separator: "&"), limit: limit), json: client.json, columns: GrantColumns.list)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a grant: its window, quota, engine access, jobs and what they preempted.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String

        func run() async throws {
            guard let view = try Output.value(of: try await client.client.get("/v1/grants/\(id)"), json: client.json, as: GrantView.self) else { return }
            print(Output.table([view], columns: GrantColumns.list))
            let g = view.grant, a = g.access
            print("""

                request \(g.request), approved by \(g.approvedBy) at \(Cell.time(g.createdAt))\(g.emergency.map { " on the green channel (\($0.category ?? "emergency"))" } ?? "")
                access: \(a.engine) account \(a.account), partition \(a.partition), QOS \(a.qos), queue \(a.queue)
                \(a.instructions)
                """)
            if !view.jobs.isEmpty {
                print("\n" + Output.table(view.jobs, columns: [
                    Column("job") { $0.id.rawValue }, Column("state") { $0.state.rawValue }, Column("gpus") { Cell.gpus($0.gpuMilli) },
                ]))
            }
            if !view.preempted.isEmpty {
                print("\npreempted:\n" + Output.table(view.preempted, columns: [
                    Column("job") { $0.job?.rawValue ?? "(another tenant's)" }, Column("tenant") { $0.tenant?.rawValue ?? "-" },
                    Column("class") { $0.priority.rawValue }, Column("state") { $0.state.rawValue },
                ]))
            }
        }
    }
}

enum GrantColumns {
    static var list: [Column<GrantView>] {
        [
            Column("id") { $0.grant.id.rawValue }, Column("tenant") { $0.grant.tenant.rawValue }, Column("state") { $0.grant.state.rawValue },
            Column("pool") { $0.grant.pool.rawValue }, Column("model") { $0.grant.model ?? "*" }, Column("gpus") { Cell.gpus($0.grant.gpuMilli) },
            Column("used") { Cell.gpus($0.usedGPUMilli) }, Column("class") { $0.grant.priority.rawValue },
            .time("starts", \.grant.startsAt), .time("ends", \.grant.endsAt), Column("jobs") { "\($0.jobs.count)" },
            Column("preempted") { "\($0.preempted.count)" },
        ]
    }
}
