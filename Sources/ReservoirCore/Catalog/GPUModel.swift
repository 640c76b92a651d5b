/// One entry of the GPU catalog: what estimation, profile matching and billing need to know
/// about an accelerator model.
public struct GPUModel: Codable, Hashable, Sendable {
    /// Canonical name, e.g. `A100-80GB`.
    public var name: String
    public var kind: DeviceKind
    public var vendor: String
    public var memoryMiB: Int
    /// Dense FP16 tensor throughput (no sparsity), TFLOPS.
    public var fp16TFLOPS: Double
    /// Dense BF16 tensor throughput, TFLOPS; 0 where the model has no BF16 tensor cores.
    public var bf16TFLOPS: Double
    public var memoryBandwidthGBps: Double
    /// List price per device-hour, in the reservoir's billing currency. Bills use price versions
    /// (`PriceVersion`, docs/BILLING.md): until a model has one it is billed at this price from the epoch,
    /// and an edit of it is stored as a new version effective at the edit, so past usage keeps its price.
    public var pricePerHour: Double
    /// Fraction of peak FLOPS a typical training job reaches; calibrated later from history.
    public var defaultEfficiency: Double
    /// Other spellings seen in traces and engines (`V100M16`, `NVIDIA A100-SXM4-80GB`).
    public var aliases: [String]
    /// True for codes whose hardware is undisclosed (openb `G1`, `G2`, `G3`): no figures are invented.
    public var opaque: Bool

    public init(
        name: String, kind: DeviceKind = .gpu, vendor: String = "NVIDIA", memoryMiB: Int, fp16TFLOPS: Double,
        bf16TFLOPS: Double, memoryBandwidthGBps: Double, pricePerHour: Double, defaultEfficiency: Double = 0.4,
        aliases: [String] = [], opaque: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.vendor = vendor
        self.memoryMiB = memoryMiB
        self.fp16TFLOPS = fp16TFLOPS
        self.bf16TFLOPS = bf16TFLOPS
        self.memoryBandwidthGBps = memoryBandwidthGBps
        self.pricePerHour = pricePerHour
        self.defaultEfficiency = defaultEfficiency
        self.aliases = aliases
        self.opaque = opaque
    }

    /// An undisclosed model known only by its code: no performance figures, a nominal price.
    public static func opaque(_ code: String, pricePerHour: Double = 1.0) -> GPUModel {
        GPUModel(
            name: code, vendor: "undisclosed", memoryMiB: 0, fp16TFLOPS: 0, bf16TFLOPS: 0, memoryBandwidthGBps: 0,
            pricePerHour: pricePerHour, opaque: true
        )
    }
}
