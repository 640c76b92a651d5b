/// The demo reservoir `serve --demo` seeds: two regions, pools for training, inference and
/// testing, 60 nodes of mixed models. It is also the documented example of the config format.
public enum DemoReservoir {
    public static let description = """
        regions:
          - id: cn-north
            name: Beijing
            clusters:
              - id: bj-sim
                engine: simulated
                pools:
                  - id: bj-training
                    purpose: training
                    sharing: exclusive
                    reserved: 0.05
                    nodes:
                      - {name: bj-a100, count: 8, model: A100-80GB, gpus: 8, cpu: 128, memoryGiB: 1024, nvlinkIslands: 1, rack: bj-r1}
                      - {name: bj-h100, count: 4, model: H100-80GB, gpus: 8, cpu: 192, memoryGiB: 2048, nvlinkIslands: 1, rack: bj-r2}
                  - id: bj-inference
                    purpose: inference
                    sharing: time-slicing
                    nodes:
                      - {name: bj-l40s, count: 6, model: L40S, gpus: 4, cpu: 64, memoryGiB: 512, rack: bj-r3}
                      - {name: bj-a10, count: 6, model: A10, gpus: 4, cpu: 48, memoryGiB: 256, rack: bj-r3}
                  - id: bj-testing
                    purpose: testing
                    sharing: time-slicing
                    nodes:
                      - {name: bj-t4, count: 8, model: T4, gpus: 4, cpu: 32, memoryGiB: 128, rack: bj-r4}
                      - {name: bj-v100, count: 4, model: V100-32GB, gpus: 4, cpu: 48, memoryGiB: 256, rack: bj-r4}
          - id: cn-east
            name: Shanghai
            clusters:
              - id: sh-sim
                engine: simulated
                pools:
                  - id: sh-training
                    purpose: training
                    sharing: exclusive
                    reserved: 0.1
                    nodes:
                      - {name: sh-h200, count: 4, model: H200, gpus: 8, cpu: 192, memoryGiB: 2048, nvlinkIslands: 1, rack: sh-r1}
                      - {name: sh-910b, count: 4, model: Ascend-910B, gpus: 8, cpu: 192, memoryGiB: 1536, rack: sh-r2}
                  - id: sh-mixed
                    purpose: mixed
                    sharing: time-slicing
                    nodes:
                      - {name: sh-a100, count: 8, model: A100-40GB, gpus: 8, cpu: 96, memoryGiB: 1024, nvlinkIslands: 2, rack: sh-r3}
                      - {name: sh-t4, count: 4, model: T4, gpus: 2, cpu: 32, memoryGiB: 128, rack: sh-r4}
        """

    /// Tenants with their weight and GPU quotas (guaranteed, limit) per pool.
    public static let tenants: [(id: String, weight: Double, quotas: [(pool: String, guaranteed: Int, limit: Int)])] = [
        ("nlp", 2, [("bj-training", 48, 80), ("sh-training", 32, 48), ("bj-testing", 8, 16)]),
        ("vision", 1, [("bj-training", 24, 48), ("bj-inference", 24, 40), ("sh-mixed", 16, 40)]),
        ("search", 1, [("bj-inference", 24, 48), ("sh-mixed", 16, 32)]),
        ("research", 1, [("bj-testing", 16, 48), ("sh-mixed", 8, 40), ("sh-training", 8, 32)]),
    ]
}
