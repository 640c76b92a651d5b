import ArgumentParser
import Foundation

/// Read-only inventory listings: regions, clusters, pools, nodes, devices, catalog.
struct Regions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List regions.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.print(try await client.client.list("/v1/regions").data, json: client.json, columns: [("id", "id"), ("name", "name")])
    }
}

struct Clusters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List clusters.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.print(try await client.client.list("/v1/clusters").data, json: client.json, columns: [("id", "id"), ("region", "region"), ("engine", "engine")])
    }
}

struct Pools: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List pools with capacity and allocation.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.print(try await client.client.list("/v1/pools").data, json: client.json, columns: [
            ("pool", "id"), ("region", "region"), ("cluster", "cluster"), ("purpose", "purpose"), ("sharing", "sharing"),
            ("nodes", "nodes"), ("gpus", "gpus"), ("allocated", "allocatedGPUs"), ("running", "runningJobs"), ("waiting", "waitingJobs"),
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
            try Output.print(try await client.client.list("/v1/nodes\(query)").data, json: client.json, columns: [
                ("node", "id"), ("pool", "pool"), ("state", "state"), ("model", "model"), ("gpus", "gpus"), ("gpus_used", "allocatedGPUs"),
                ("gpus_free", "freeGPUs"), ("cpu_m", "cpuMilli"), ("cpu_used", "allocatedCPUMilli"), ("mem_mib", "memoryMiB"), ("rack", "rack"),
            ])
        }
    }

    struct SetState: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-state", abstract: "Set a node's state: ready, cordoned, down.")
        @OptionGroup var client: ClientOptions
        @Argument var node: String
        @Argument var state: String
        func run() async throws {
            try Output.print(try await client.client.json(.PATCH, "/v1/nodes/\(node)", ["state": state]), json: client.json, columns: [("node", "id"), ("state", "state")])
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
        try Output.print(try await client.client.list("/v1/devices?" + query).data, json: client.json, columns: [
            ("device", "id"), ("pool", "pool"), ("model", "model"), ("state", "state"), ("allocated_milli", "allocatedMilli"),
        ])
    }
}

struct Catalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the device catalog.")
    @OptionGroup var client: ClientOptions
    func run() async throws {
        try Output.print(try await client.client.list("/v1/catalog").data, json: client.json, columns: [
            ("model", "name"), ("kind", "kind"), ("memory_mib", "memoryMiB"), ("fp16_tflops", "fp16TFLOPS"), ("bf16_tflops", "bf16TFLOPS"),
            ("bw_gbps", "memoryBandwidthGBps"), ("price_h", "pricePerHour"),
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
        let data = try await client.client.send(.POST, path, body: body, contentType: openb ? "text/csv" : "application/yaml")
        try Output.print(data, json: client.json, columns: [("regions", "regions"), ("clusters", "clusters"), ("pools", "pools"), ("nodes", "nodes"), ("devices", "devices")])
    }
}
