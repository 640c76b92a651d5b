import ReservoirCore
import ReservoirServices
import Testing

/// MIG mode is part of the inventory: a `mig` pool's GPUs are in MIG mode unless a node says
/// otherwise, and MIG mode where it could never be used is refused naming the field.
@Suite("Cluster description: MIG mode of nodes")
struct MIGInventoryTests {
    static func yaml(sharing: String, node: String) -> String {
        """
        regions:
          - id: r
            clusters:
              - id: c
                pools:
                  - id: p
                    sharing: \(sharing)
                    nodes: [\(node)]
        """
    }

    static func refusal(_ yaml: String) -> ReservoirError? {
        do {
            _ = try ClusterDescription.parse(yaml: yaml).inventory(catalog: .standard)
            return nil
        } catch {
            return error as? ReservoirError
        }
    }

    @Test("GPUs of a mig pool are in MIG mode by default; other pools' are not; a node may say so itself")
    func migModeFollowsThePool() throws {
        let mig = try ClusterDescription.parse(yaml: Self.yaml(sharing: "mig", node: "{name: m, model: A100-80GB, gpus: 2, cpu: 8, memoryGiB: 64}"))
            .inventory(catalog: .standard)
        #expect(mig.nodes[0].devices.allSatisfy { $0.inMIGMode })
        let plain = try ClusterDescription.parse(yaml: Self.yaml(sharing: "exclusive", node: "{name: n, model: A100-80GB, gpus: 2, cpu: 8, memoryGiB: 64}"))
            .inventory(catalog: .standard)
        #expect(!plain.nodes[0].devices.contains { $0.inMIGMode })
        let off = try ClusterDescription.parse(yaml: Self.yaml(sharing: "mig", node: "{name: m, model: A100-80GB, gpus: 2, cpu: 8, memoryGiB: 64, mig: false}"))
            .inventory(catalog: .standard)
        #expect(!off.nodes[0].devices.contains { $0.inMIGMode })
    }

    @Test("MIG mode outside a mig pool, or on a model without MIG geometry, is refused naming the node's mig field")
    func migWhereItCannotBeUsedIsRefused() {
        let wrongPool = Self.refusal(Self.yaml(sharing: "time-slicing", node: "{name: m, model: A100-80GB, gpus: 1, cpu: 8, memoryGiB: 64, mig: true}"))
        #expect(wrongPool?.field == "nodes.m.mig", "\(String(describing: wrongPool))")
        let noGeometry = Self.refusal(Self.yaml(sharing: "mig", node: "{name: t, model: T4, gpus: 1, cpu: 8, memoryGiB: 64}"))
        #expect(noGeometry?.field == "nodes.t.mig" && noGeometry?.message.contains("A100-80GB") == true, "\(String(describing: noGeometry))")
    }
}
