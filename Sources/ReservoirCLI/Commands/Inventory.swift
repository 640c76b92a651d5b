import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// Read-only inventory listings: regions, clusters, pools, nodes, devices, catalog.
struct Regions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List regions.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.rows(try await client.client.list("/v1/regions"), json: client.json, columns: [Column<Region>("id", \.id), Column("name", \.name)])
    }
}

struct Clusters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List clusters.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.rows(try await client.client.list("/v1/clusters"), json: client.json, columns: [
            Column<Cluster>("id", \.id), Column("region", \.region), Column("engine", \.engine),
        ])
    }
}

struct Pools: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List pools with capacity and allocation.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.rows(try await client.client.list("/v1/pools"), json: client.json, columns: [
            Column<PoolView>("pool", \.id), Column("region", \.region), Column("cluster", \.cluster), Column("purpose", \.purpose),
            Column("sharing", \.sharing), Column("nodes", \.nodes), Column("gpus", \.gpus), Column("allocated", \.allocatedGPUs),
            Column("running", \.runningJobs), Column("waiting", \.waitingJobs),
        ])
    }
}

struct Nodes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List nodes, or cordon/uncordon one.", subcommands: [List.self, SetState.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List nodes.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only nodes of this pool.") var pool: String?
        func run() async throws {
            let query = pool.map { "?pool=\($0)" } ?? ""
            try Output.rows(try await client.client.list("/v1/nodes\(query)"), json: client.json, columns: [
                Column<NodeView>("node", \.id), Column("pool", \.pool), Column("state", \.state), Column("model", \.model), Column("gpus", \.gpus),
                Column("gpus_used", \.allocatedGPUs), Column("gpus_free", \.freeGPUs), Column("cpu_m", \.cpuMilli),
                Column("cpu_used", \.allocatedCPUMilli), Column("mem_mib", \.memoryMiB), Column("rack", \.rack),
            ])
        }
    }

    struct SetState: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-state", abstract: "Set a node's state: ready, cordoned, down.")
        @OptionGroup var client: ClientOptions
        @Argument var node: String
        @Argument var state: String
        func run() async throws {
            try Output.row(try await client.client.json(.PATCH, "/v1/nodes/\(node)", ["state": state]), json: client.json, columns: [
                Column<NodeView>("node", \.id), Column("state", \.state),
            ])
        }
    }
}

struct Devices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List devices with their state.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only devices of this pool.") var pool: String?
    @Option(help: "Only devices of this node.") var node: String?
    @Option(help: "Only devices in this state.") var state: String?
    func run() async throws {
        let query = [("pool", pool), ("node", node), ("state", state)].compactMap { k, v in v.map { "\(k)=\($0)" } }.joined(separator: "&")
        try Output.rows(try await client.client.list("/v1/devices?" + query), json: client.json, columns: [
            Column<DeviceView>("device", \.id), Column("pool", \.pool), Column("model", \.model), Column("state", \.state),
            Column("allocated_milli", \.allocatedMilli),
        ])
    }
}

struct Catalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the device catalog.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.rows(try await client.client.list("/v1/catalog"), json: client.json, columns: [
            Column<GPUModel>("model", \.name), Column("kind", \.kind), Column("memory_mib", \.memoryMiB), Column("fp16_tflops", \.fp16TFLOPS),
            Column("bf16_tflops", \.bf16TFLOPS), Column("bw_gbps", \.memoryBandwidthGBps), .money("price_h", \.pricePerHour),
        ])
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import a YAML cluster description, or an openb node CSV with --openb.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The file to import.") var file: String
    @Flag(help: "The file is an openb node list CSV.") var openb = false
    @Option(help: "Pool for an openb import.") var pool = "openb"
    @Option(help: "Cluster for an openb import.") var cluster = "openb-sim"
    @Option(help: "Region for an openb import.") var region = "openb"
    func run() async throws {
        let body = try Data(contentsOf: URL(fileURLWithPath: file))
        let path = openb ? "/v1/import?format=openb&pool=\(pool)&cluster=\(cluster)&region=\(region)" : "/v1/import"
        let reply = try await client.client.send(.POST, path, body: body, contentType: openb ? "text/csv" : "application/yaml")
        try Output.row(reply, json: client.json, columns: [
            Column<ImportSummary>("regions", \.regions), Column("clusters", \.clusters), Column("pools", \.pools), Column("nodes", \.nodes),
            Column("devices", \.devices),
        ])
    }
}
