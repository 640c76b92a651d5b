import ArgumentParser
import ReservoirCore
import ReservoirServices

/// `reservoir reclaim candidates|confirm|answer|shrink`: idle inference services, from the list the
/// rule finds to the owner's confirmation and the shrink (or whole reclamation) that follows.
struct ReclaimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim", abstract: "Idle inference services: candidates, the owner's confirmation, shrink or reclaim (every step recorded).",
        subcommands: [Candidates.self, Confirm.self, Answer.self, Shrink.self], defaultSubcommand: Candidates.self)

    struct Candidates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Services whose daily peak GPU and GPU-memory utilization stayed below the thresholds every day of the window, and open confirmations.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only services of this tenant (members: their own).") var tenant: String?

        func run() async throws {
            let reply = try await client.client.get("/v1/reclamation/candidates" + (tenant.map { "?tenant=\($0)" } ?? ""))
            try Output.rows(reply, json: client.json, columns: IdleColumns.candidates)
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask the owner of an idle service to confirm: a recorded notice with a response deadline.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The service.") var service: String

        func run() async throws {
            try Output.row(try await client.client.send(.POST, "/v1/services/\(service)/idle-confirmation"), json: client.json, columns: IdleColumns.candidates)
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer an idle confirmation as the service's owner: keep it (say why) or release it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The service.") var service: String
        @Flag(help: "Keep the service (the reason is recorded for operations).") var keep = false
        @Flag(help: "Release the service: operators may shrink or reclaim it at once.") var release = false
        @Option(help: "Why.") var reason: String

        func validate() throws {
            guard keep != release else { throw ValidationError("give exactly one of --keep and --release") }
        }

        func run() async throws {
            let body: [String: Any] = ["answer": keep ? "keep" : "release", "reason": reason]
            try Output.row(
                try await client.client.json(.POST, "/v1/services/\(service)/idle-confirmation/answer", body), json: client.json, columns: IdleColumns.candidates)
        }
    }

    struct Shrink: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Shrink an idle service to fewer replicas (--replicas N) or reclaim them all (--all), after the owner released it or the deadline passed.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The service.") var service: String
        @Option(help: "Replicas to keep (at least 1).") var replicas: Int?
        @Flag(help: "Reclaim every replica.") var all = false
        @Option(help: "Why (recorded).") var reason: String

        func validate() throws {
            guard (replicas == nil) == all else { throw ValidationError("give exactly one of --replicas N and --all") }
        }

        func run() async throws {
            var body: [String: Any] = ["action": all ? "reclaim" : "shrink", "reason": reason]
            if let replicas { body["replicas"] = replicas }
            let reply = try await client.client.json(.POST, "/v1/services/\(service)/reclaim", body)
            guard let record = try Output.value(of: reply, json: client.json, as: ReclamationRecord.self) else { return }
            print("\(record.id): \(record.note); \(Cell.gpus(record.gpuMilli)) GPUs, \(Int(record.freedGPUHours.rounded())) GPU-hours freed (\(record.approvedBy ?? "-"))")
        }
    }
}

enum IdleColumns {
    static var candidates: [Column<IdleServiceCandidate>] {
        [
            Column("service") { $0.service.rawValue }, Column("tenant") { $0.tenant.rawValue }, Column("pool") { $0.pool.rawValue },
            Column("replicas") { "\($0.replicas)" }, Column("gpus") { Cell.gpus($0.gpuMilli) },
            Column("peak util") { "\(Int($0.verdict.peakUtilization.rounded())) %" },
            Column("peak mem") { "\(Int($0.verdict.peakMemory.rounded())) %" },
            Column("days") { "\($0.verdict.daysReported)/\($0.verdict.windowDays)" }, Column("stage") { $0.stage },
            .time("deadline", \.confirmation?.deadline), Column("answer") { $0.confirmation?.answerReason ?? "-" },
        ]
    }
}
