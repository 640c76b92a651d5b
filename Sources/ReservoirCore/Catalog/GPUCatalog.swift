/// The editable catalog of device models, keyed by canonical name and reachable by alias.
public struct GPUCatalog: Codable, Hashable, Sendable {
    public private(set) var models: [GPUModel]

    public init(models: [GPUModel]) { self.models = models }

    /// Looks a model up by canonical name or alias, ignoring case.
    public func model(named name: String) -> GPUModel? {
        let key = name.lowercased()
        return models.first { $0.name.lowercased() == key || $0.aliases.contains { $0.lowercased() == key } }
    }

    /// The canonical name for a spelling, or nil if unknown.
    public func canonicalName(_ name: String) -> String? { model(named: name)?.name }

    /// Adds a model or replaces the one with the same canonical name.
    public mutating func upsert(_ model: GPUModel) {
        if let i = models.firstIndex(where: { $0.name == model.name }) {
            models[i] = model
        } else {
            models.append(model)
        }
    }

    /// Figures from the vendors' data sheets (dense, no sparsity; SXM variants where both exist).
    /// Prices are ours: typical 2024–2026 on-demand cloud list prices per GPU-hour, rounded.
    public static let standard = GPUCatalog(models: [
        GPUModel(name: "A100-40GB", memoryMiB: 40_960, fp16TFLOPS: 312, bf16TFLOPS: 312, memoryBandwidthGBps: 1_555,
                 pricePerHour: 1.80, aliases: ["NVIDIA A100-SXM4-40GB", "A100"]),
        GPUModel(name: "A100-80GB", memoryMiB: 81_920, fp16TFLOPS: 312, bf16TFLOPS: 312, memoryBandwidthGBps: 2_039,
                 pricePerHour: 2.40, aliases: ["NVIDIA A100-SXM4-80GB", "NVIDIA A100 80GB PCIe"]),
        GPUModel(name: "H100-80GB", memoryMiB: 81_559, fp16TFLOPS: 989, bf16TFLOPS: 989, memoryBandwidthGBps: 3_350,
                 pricePerHour: 3.50, aliases: ["H100", "NVIDIA H100 80GB HBM3"]),
        GPUModel(name: "H200", memoryMiB: 143_771, fp16TFLOPS: 989, bf16TFLOPS: 989, memoryBandwidthGBps: 4_800,
                 pricePerHour: 4.50, aliases: ["H200-141GB", "NVIDIA H200"]),
        GPUModel(name: "V100-16GB", memoryMiB: 16_384, fp16TFLOPS: 125, bf16TFLOPS: 0, memoryBandwidthGBps: 900,
                 pricePerHour: 0.90, aliases: ["V100M16", "Tesla V100-SXM2-16GB"]),
        GPUModel(name: "V100-32GB", memoryMiB: 32_768, fp16TFLOPS: 125, bf16TFLOPS: 0, memoryBandwidthGBps: 900,
                 pricePerHour: 1.10, aliases: ["V100M32", "Tesla V100-SXM2-32GB"]),
        GPUModel(name: "T4", memoryMiB: 15_360, fp16TFLOPS: 65, bf16TFLOPS: 0, memoryBandwidthGBps: 320,
                 pricePerHour: 0.35, aliases: ["Tesla T4"]),
        GPUModel(name: "A10", memoryMiB: 24_576, fp16TFLOPS: 125, bf16TFLOPS: 125, memoryBandwidthGBps: 600,
                 pricePerHour: 0.75, aliases: ["NVIDIA A10", "A10G"]),
        GPUModel(name: "L40S", memoryMiB: 46_068, fp16TFLOPS: 362, bf16TFLOPS: 362, memoryBandwidthGBps: 864,
                 pricePerHour: 1.20, aliases: ["NVIDIA L40S"]),
        GPUModel(name: "P100", memoryMiB: 16_384, fp16TFLOPS: 18.7, bf16TFLOPS: 0, memoryBandwidthGBps: 732,
                 pricePerHour: 0.40, aliases: ["Tesla P100-PCIE-16GB"]),
        GPUModel(name: "Ascend-910B", kind: .npu, vendor: "Huawei", memoryMiB: 65_536, fp16TFLOPS: 320,
                 bf16TFLOPS: 320, memoryBandwidthGBps: 1_600, pricePerHour: 1.50, aliases: ["910B", "Ascend 910B"]),
        .opaque("G1"), .opaque("G2"), .opaque("G3"),
    ])
}
