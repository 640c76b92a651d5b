import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

extension AdjustmentKind: CellValue {}
extension CapacityRequestState: CellValue {}

enum ServiceColumns {
    static var list: [Column<ServiceView>] {
        [
            Column("service", \.service.id), Column("tenant", \.service.tenant), Column("pool", \.service.pool), Column("model", \.service.model),
            Column("min") { "\($0.service.minReplicas)" }, Column("max") { "\($0.service.maxReplicas)" }, Column("desired") { "\($0.replicas.desired)" },
            Column("running") { "\($0.replicas.running)" }, Column("pending") { "\($0.replicas.pending)" },
            Column("qps") { $0.load.qps.map(Cell.number) ?? "-" }, Column("util%") { $0.load.gpuUtilPercent.map { Cell.number($0.rounded()) } ?? "-" },
            Column("p99 ms (est.)") { $0.load.p99LatencyMsEstimate.map { Cell.number($0.rounded()) } ?? "-" },
            Column("sla ms") { Cell.number($0.service.sla.p99LatencyMs) },
        ]
    }

    static var history: [Column<ServiceAdjustment>] {
        [
            .time("at", \.at), Column("before") { "\($0.before)" }, Column("after") { "\($0.after)" }, Column("tier") { "\($0.tier.rawValue)" },
            Column("kind", \.kind), Column("actor", \.actor), Column("reason", \.reason),
        ]
    }

    static var requests: [Column<ServiceCapacityRequest>] {
        [
            Column("request") { $0.id }, Column("service", \.service), Column("tier") { "\($0.tier.rawValue)" }, Column("state", \.state),
            Column("pool", \.pool), Column("region", \.region), Column("gpus") { "\($0.gpus)" }, .time("asked", \.createdAt),
            Column("nodes") { $0.nodes.isEmpty ? "-" : $0.nodes.map(\.rawValue).joined(separator: ",") }, Column("reason") { $0.reason },
        ]
    }
}

struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Inference services: deploy, list, show, scale, history, delete; capacity requests (tiers 2 and 3).",
        subcommands: [Deploy.self, List.self, Show.self, Scale.self, History.self, Delete.self, Requests.self, Approve.self, Close.self])

    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deploy a service from a YAML (or JSON) file, or from flags.",
            discussion: "reservoir service deploy --name ranker --pool p1 --model bert --gpus 1 --min 2 --max 8 --p99-ms 200 --peak-qps 1200")
        @OptionGroup var client: ClientOptions
        @Option(name: .shortAndLong, help: "The service file (see docs/CONFIG.md, \"Service file\").") var file: String?
        @Option(help: "The service's name.") var name: String?
        @Option(help: "Operators: the tenant to deploy for.") var tenant: String?
        @Option(help: "The pool its replicas run in.") var pool: String?
        @Option(help: "The model served.") var model: String?
        @Option(help: "GPUs per replica.") var gpus = 1
        @Option(help: "GPU models a replica may use, A|B.") var gpuModel: String?
        @Option(help: "Fewest replicas.") var min: Int?
        @Option(help: "Most replicas.") var max: Int?
        @Option(name: .customLong("p99-ms"), help: "The p99 latency target, milliseconds.") var p99Ms: Double?
        @Option(help: "Peak requests per second.") var peakQps: Double?
        @Option(help: "Requests per second one replica serves at full GPU utilization.") var capacityQps: Double?
        @Option(help: "Priority class (P1 default).") var priority: String?
        @Option(help: "A key of your choosing: retrying with the same key returns the service already deployed.") var idempotencyKey: String?

        func run() async throws {
            let headers = idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
            let reply: ServerReply
            if let file {
                let body = try Data(contentsOf: URL(fileURLWithPath: file))
                reply = try await client.client.send(.POST, "/v1/services", body: body, contentType: file.hasSuffix(".json") ? "application/json" : "application/yaml", headers: headers)
            } else {
                guard let name, let pool, let model, let min, let max else {
                    throw ValidationError("give -f FILE, or at least --name, --pool, --model, --min and --max")
                }
                var request: [String: Any] = ["gpus": gpus]
                if let gpuModel { request["models"] = gpuModel }
                var sla: [String: Any] = [:]
                if let p99Ms { sla["p99LatencyMs"] = p99Ms }
                if let peakQps { sla["peakQPS"] = peakQps }
                var spec: [String: Any] = ["name": name, "pool": pool, "model": model, "request": request, "replicas": ["min": min, "max": max], "sla": sla]
                if let tenant { spec["tenant"] = tenant }
                if let capacityQps { spec["capacityQPS"] = capacityQps }
                if let priority { spec["priority"] = priority }
                reply = try await client.client.send(.POST, "/v1/services", body: try JSONSerialization.data(withJSONObject: spec), headers: headers)
            }
            try Output.row(reply, json: client.json, columns: ServiceColumns.list)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List services: replicas, traffic, utilization and p99 latency estimate.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only this tenant's services.") var tenant: String?
        func run() async throws {
            try Output.rows(try await client.client.list("/v1/services" + (tenant.map { "?tenant=\($0)" } ?? "")), json: client.json, columns: ServiceColumns.list)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a service: replicas, SLA, load, p99 latency estimate, last adjustment.")
        @OptionGroup var client: ClientOptions
        @Argument var name: String
        func run() async throws {
            guard let view = try Output.value(of: try await client.client.get("/v1/services/\(name)"), json: client.json, as: ServiceView.self) else { return }
            print(Output.table([view], columns: ServiceColumns.list))
            let s = view.service
            let policy = s.autoscaling
            print("""

                SLA: p99 ≤ \(Cell.number(s.sla.p99LatencyMs)) ms at up to \(Cell.number(s.sla.peakQPS)) QPS; one replica serves \(Cell.number(s.capacityQPS)) QPS at full GPU utilization
                autoscaling: out above \(Cell.number(policy.scaleOutUtilPercent)) % GPU (or \(Cell.number(policy.scaleOutMemoryPercent)) % memory), \
                in below \(Cell.number(policy.scaleInUtilPercent)) %, for \(Cell.number(policy.windowSeconds)) s; cool-down \(Cell.number(policy.cooldownSeconds)) s
                utilization: \(view.load.measured ? "measured" : "estimated from traffic"); p99 latency is an estimate (M/M/1 per replica)
                replicas: \(view.replicas.jobs.map(\.rawValue).joined(separator: ", "))
                """)
            if let last = view.lastAdjustment { print("last adjustment: \(Cell.time(last.at)) \(last.before) → \(last.after) by \(last.actor): \(last.reason)") }
        }
    }

    struct Scale: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a service's replicas by hand (within min…max), with the reason recorded.")
        @OptionGroup var client: ClientOptions
        @Argument var name: String
        @Option(help: "Replicas wanted.") var replicas: Int
        @Option(help: "Why (recorded in the history).") var reason: String
        func run() async throws {
            let reply = try await client.client.json(.POST, "/v1/services/\(name)/scale", ["replicas": replicas, "reason": reason])
            try Output.row(reply, json: client.json, columns: ServiceColumns.list)
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every adjustment of a service, oldest first: before/after, tier, actor, time, reason.")
        @OptionGroup var client: ClientOptions
        @Argument var name: String
        func run() async throws {
            try Output.rows(try await client.client.list("/v1/services/\(name)/history"), json: client.json, columns: ServiceColumns.history)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a service: its replicas are cancelled, its history kept.")
        @OptionGroup var client: ClientOptions
        @Argument var name: String
        func run() async throws {
            _ = try await client.client.send(.DELETE, "/v1/services/\(name)")
            if !client.json { print("deleted service \(name)") }
        }
    }

    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Capacity requests: reserve nodes (tier 2) and cross-region transfers (tier 3), newest first.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only requests in this state: pending, fulfilled or closed.") var state: String?
        func run() async throws {
            try Output.rows(
                try await client.client.list("/v1/capacity-requests" + (state.map { "?state=\($0)" } ?? "")), json: client.json, columns: ServiceColumns.requests)
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a pending reserve request: idle reserve nodes move into the service's pool.")
        @OptionGroup var client: ClientOptions
        @Argument var request: String
        func run() async throws {
            try Output.row(try await client.client.send(.POST, "/v1/capacity-requests/\(request)/approve"), json: client.json, columns: ServiceColumns.requests)
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a pending capacity request (a transfer arranged, or declined), with a note.")
        @OptionGroup var client: ClientOptions
        @Argument var request: String
        @Option(help: "Why it is closed.") var note: String
        func run() async throws {
            try Output.row(try await client.client.json(.POST, "/v1/capacity-requests/\(request)/close", ["note": note]), json: client.json, columns: ServiceColumns.requests)
        }
    }
}
