import Foundation
import ReservoirTestSupport

/// What each real capture under `shared/data/gpu-telemetry` says, read off the files by hand (see
/// its README for where each comes from). Every file of the folder must have an entry here, so a new
/// capture cannot slip in untested.
enum Captures {
    static let folder = "data/gpu-telemetry"

    /// One GPU's state in one section of a capture.
    struct GPU {
        var name: String
        var model: String?
        var memoryTotalMiB: Int
        var memoryUsedMiB: Int
        var util: Double?
        var temperature: Double
        var power: Double
        var mig: Bool?
    }

    /// A nvidia_gpu_exporter capture (one 1-GPU VM): the CSV query in the idle and loaded states,
    /// the MIG devices of `-L` and of the loaded `-q`, and the CPU affinity of `topo -m`.
    struct Capture {
        var file: String
        var idle: GPU
        var load: GPU
        var migProfiles: [String] = []
        var migGPUInstances: [Int] = []
        var migComputeInstances: [Int] = []
        var migMemoryMiB: [Int] = []
        var migUsedMiB: [Int] = []
        var cpuAffinity: String
    }

    static let captures: [Capture] = [
        Capture(
            file: "nvidia-smi-captures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt",
            idle: GPU(name: "NVIDIA H100 80GB HBM3", model: "H100-80GB", memoryTotalMiB: 81_559, memoryUsedMiB: 0, util: 0, temperature: 41, power: 69.85, mig: false),
            load: GPU(name: "NVIDIA H100 80GB HBM3", model: "H100-80GB", memoryTotalMiB: 81_559, memoryUsedMiB: 19_818, util: 100, temperature: 59, power: 631.95, mig: false),
            cpuAffinity: "0-19"),
        Capture(
            file: "nvidia-smi-captures/linux-x86_64__nvidia-h100-mig__590.48.01.txt",
            idle: GPU(name: "NVIDIA H100 80GB HBM3", model: "H100-80GB", memoryTotalMiB: 81_559, memoryUsedMiB: 59, util: nil, temperature: 42, power: 71.15, mig: true),
            load: GPU(name: "NVIDIA H100 80GB HBM3", model: "H100-80GB", memoryTotalMiB: 81_559, memoryUsedMiB: 11_125, util: nil, temperature: 53, power: 433.78, mig: true),
            migProfiles: ["3g.40gb", "2g.20gb", "1g.10gb", "1g.10gb"], migGPUInstances: [2, 3, 9, 10], migComputeInstances: [0, 0, 0, 0],
            migMemoryMiB: [40_448, 20_096, 9_984, 9_984], migUsedMiB: [11_091, 17, 9, 9], cpuAffinity: "0-19"),
        Capture(
            file: "nvidia-smi-captures/linux-x86_64__nvidia-h200-mig__590.48.01.txt",
            idle: GPU(name: "NVIDIA H200", model: "H200", memoryTotalMiB: 143_771, memoryUsedMiB: 55, util: nil, temperature: 28, power: 78.28, mig: true),
            load: GPU(name: "NVIDIA H200", model: "H200", memoryTotalMiB: 143_771, memoryUsedMiB: 16_959, util: nil, temperature: 36, power: 295.01, mig: true),
            migProfiles: ["1c.3g.71gb", "2c.3g.71gb", "2g.35gb", "1g.18gb", "1g.18gb"], migGPUInstances: [2, 2, 3, 9, 10], migComputeInstances: [0, 1, 0, 0, 0],
            migMemoryMiB: [71_424, 71_424, 33_280, 16_384, 16_384], migUsedMiB: [16_925, 16_925, 17, 9, 9], cpuAffinity: "0-23"),
        Capture(
            file: "nvidia-smi-captures/linux-x86_64__nvidia-h200__590.48.01.txt",
            idle: GPU(name: "NVIDIA H200", model: "H200", memoryTotalMiB: 143_771, memoryUsedMiB: 0, util: 0, temperature: 28, power: 77.71, mig: false),
            load: GPU(name: "NVIDIA H200", model: "H200", memoryTotalMiB: 143_771, memoryUsedMiB: 32_362, util: 100, temperature: 52, power: 627.40, mig: false),
            cpuAffinity: "0-23"),
        // The L40S file really says 100 % when idle and 9 % under load (as captured).
        Capture(
            file: "nvidia-smi-captures/linux-x86_64__nvidia-l40s__595.80.txt",
            idle: GPU(name: "NVIDIA L40S", model: "L40S", memoryTotalMiB: 46_068, memoryUsedMiB: 0, util: 100, temperature: 63, power: 144.97, mig: nil),
            load: GPU(name: "NVIDIA L40S", model: "L40S", memoryTotalMiB: 46_068, memoryUsedMiB: 1_235, util: 9, temperature: 54, power: 110.23, mig: nil),
            cpuAffinity: "0-7"),
    ]

    /// A telegraf `nvidia-smi -q -x` file (one `<gpu>` element each).
    struct XML {
        var file: String
        var gpu: GPU
        var uuid: String
        var migGPUInstances: [Int] = []
        var migMemoryMiB: [Int] = []
    }

    static let xml: [XML] = [
        // attached_gpus says 4, but the file holds one <gpu>; its 4 MIG devices are 19968 MiB each.
        XML(
            file: "nvidia-smi-xml/telegraf__a100-sxm4-v12.xml",
            gpu: GPU(name: "NVIDIA A100-SXM4-80GB", model: "A100-80GB", memoryTotalMiB: 81_920, memoryUsedMiB: 50, util: nil, temperature: 27, power: 67.03, mig: true),
            uuid: "GPU-513536b6-7d19-9063-b049-1e69664bb298", migGPUInstances: [3, 4, 5, 6], migMemoryMiB: [19_968, 19_968, 19_968, 19_968]),
        XML(
            file: "nvidia-smi-xml/telegraf__a10g.xml",
            gpu: GPU(name: "NVIDIA A10G", model: "A10", memoryTotalMiB: 23_028, memoryUsedMiB: 22, util: 0, temperature: 17, power: 25.58, mig: nil),
            uuid: "GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94"),
        XML(
            file: "nvidia-smi-xml/telegraf__tesla-t4.xml",
            gpu: GPU(name: "Tesla T4", model: "T4", memoryTotalMiB: 15_360, memoryUsedMiB: 1_032, util: 0, temperature: 40, power: 26.78, mig: nil),
            uuid: "GPU-d37e67a5-91dd-3774-a5cb-99096249601a"),
    ]

    static let dcgm = "dcgm-exporter/datadog__dcgm_tests_fixtures_metrics.txt"
    /// Files that are documentation, not captures.
    static let notCaptures: Set<String> = ["README.md", "nvidia-smi-captures/UPSTREAM-README.md"]

    /// Every file under the folder, relative to it.
    static func allFiles() -> [String] {
        let root = SharedData.directory.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { return nil }
            return String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        }.sorted()
    }

    static func text(_ file: String) throws -> String? { try SharedData.text("\(folder)/\(file)") }
}
