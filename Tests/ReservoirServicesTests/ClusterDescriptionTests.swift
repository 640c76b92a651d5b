import Foundation
import ReservoirCore
import ReservoirServices
import Testing

@Suite("Cluster description: engines per cluster")
struct ClusterDescriptionTests {
    static let hybrid = """
        regions:
          - id: east
            clusters:
              - id: sim
                pools:
                  - id: train
                    nodes: [{name: a, model: A100-80GB, gpus: 8, cpu: 64, memoryGiB: 512}]
          - id: west
            clusters:
              - id: hpc
                engine: slurm
                slurm: {envFile: /etc/reservoir/slurm.env, url: "http://slurm:6820", placement: slurm}
                pools:
                  - {id: batch, slurmNodes: [rn1, rn2], placement: reservoir}
                  - {id: spill, slurmNodes: [rn3]}
        """

    static let discovered: [ClusterID: [Node]] = [
        "hpc": ["rn1", "rn2", "rn3"].map { Node(id: NodeID($0), pool: "gpu", cpuMilli: 32_000, memoryMiB: 256_000,
                                                  devices: []) },
    ]

    @Test("a slurm cluster's settings and per-pool placement are read; explicit keys override the env file's")
    func slurmClustersAreRead() throws {
        let description = try ClusterDescription.parse(yaml: Self.hybrid)
        let clusters = try description.slurmClusters()
        #expect(clusters.map(\.cluster) == ["hpc"])
        #expect(clusters[0].slurm.envFile == "/etc/reservoir/slurm.env")
        #expect(clusters[0].slurm.environmentOverrides == ["SLURM_REST_URL": "http://slurm:6820"])
        #expect(clusters[0].slurm.placement == "slurm")
        #expect(clusters[0].placement == ["batch": "reservoir"])
    }

    @Test("pools of a slurm cluster take the nodes the controller reported, moved into the pool")
    func slurmPoolsTakeDiscoveredNodes() throws {
        let inventory = try ClusterDescription.parse(yaml: Self.hybrid).inventory(catalog: .standard, discovered: Self.discovered)
        #expect(inventory.clusters.first { $0.id == "hpc" }?.engine == .slurm)
        #expect(inventory.nodes.filter { $0.pool == "batch" }.map(\.id) == ["rn1", "rn2"])
        #expect(inventory.nodes.filter { $0.pool == "spill" }.map(\.id) == ["rn3"])
        #expect(inventory.nodes.filter { $0.pool == "train" }.count == 1)
    }

    @Test("a node the controller does not report, and a slurm cluster without settings, are refused naming the field")
    func badSlurmClustersAreRefused() throws {
        let missing = Self.discovered.mapValues { $0.filter { $0.id != "rn3" } }
        do {
            _ = try ClusterDescription.parse(yaml: Self.hybrid).inventory(catalog: .standard, discovered: missing)
            Issue.record("rn3 is not reported; the import must fail")
        } catch let error as ReservoirError {
            #expect(error.field == "pools.spill.slurmNodes")
        }
        let bare = Self.hybrid.split(separator: "\n").filter { !$0.contains("slurm: {") }.joined(separator: "\n")
        do {
            _ = try ClusterDescription.parse(yaml: String(bare)).slurmClusters()
            Issue.record("engine slurm without a slurm block must fail")
        } catch let error as ReservoirError {
            #expect(error.field == "clusters.hpc.slurm")
        }
    }
}
