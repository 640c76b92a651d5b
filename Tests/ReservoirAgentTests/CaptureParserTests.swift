import Foundation
import ReservoirAgent
import ReservoirCore
import ReservoirTestSupport
import Testing

/// The parsers on every real capture in `shared/data/gpu-telemetry`, values checked against the files.
@Suite("Agent parsers on the real captures", SharedData.required("data/gpu-telemetry/README.md"))
struct CaptureParserTests {
    @Test("every file of the folder is a capture these tests know")
    func everyFileIsCovered() throws {
        let known = Set(Captures.captures.map(\.file) + Captures.xml.map(\.file) + [Captures.dcgm]).union(Captures.notCaptures)
        let files = Captures.allFiles()
        #expect(files.count >= 10, "\(files)")
        #expect(Set(files).subtracting(known).isEmpty, "untested captures: \(Set(files).subtracting(known).sorted())")
        #expect(known.subtracting(files).isEmpty, "expected captures missing: \(known.subtracting(files).sorted())")
    }

    @Test("capture files split into their commands' sections", arguments: Captures.captures.map(\.file))
    func sections(file: String) throws {
        guard let text = try Captures.text(file) else { return }
        let sections = CaptureFile.sections(text)
        let commands = sections.compactMap(\.command)
        for command in ["nvidia-smi --version", "nvidia-smi -L", "nvidia-smi topo -m", "nvidia-smi nvlink -s", "nvidia-smi -q"] {
            #expect(commands.contains(command), "\(file): no section for \(command)")
        }
        // Idle and load each have their -q and CSV query.
        #expect(sections.filter { $0.command == "nvidia-smi -q" }.map(\.title) == ["idle :: query (-q)", "load :: query (-q)"])
        #expect(sections.filter { $0.command?.hasPrefix("nvidia-smi --query-gpu=") == true }.count == 2)
        #expect(CaptureFile.outputs(of: "nvidia-smi --version", in: sections).first?.contains("NVIDIA-SMI version") == true)
        // Banners never leak into bodies.
        #expect(!sections.contains { $0.body.contains(String(repeating: "#", count: 40)) })
    }

    @Test("--query-gpu CSV (with header and units), idle and load", arguments: Captures.captures.map(\.file))
    func queryCSV(file: String) throws {
        guard let text = try Captures.text(file), let capture = Captures.captures.first(where: { $0.file == file }) else { return }
        let sections = CaptureFile.sections(text)
        for (state, expected) in [("idle", capture.idle), ("load", capture.load)] {
            let csv = try #require(CaptureFile.output(commandPrefix: "nvidia-smi --query-gpu=", state: state, in: sections))
            let rows = try NvidiaSMIQueryCSV.rows(csv)
            #expect(rows.count == 1)
            #expect(rows[0].count >= 200, "every field of the header is a key")
            let gpus = try NvidiaSMIQueryCSV.parse(csv)
            try expect(gpus, matches: expected, "\(file) \(state)")
            #expect(gpus[0].uuid == "GPU-00000000-0000-0000-0000-000000000000")
            #expect(gpus[0].eccUncorrected == 0)
        }
    }

    @Test("-L lists the GPU and its MIG devices", arguments: Captures.captures.map(\.file))
    func list(file: String) throws {
        guard let text = try Captures.text(file), let capture = Captures.captures.first(where: { $0.file == file }) else { return }
        let output = try #require(CaptureFile.outputs(of: "nvidia-smi -L", in: CaptureFile.sections(text)).first)
        let gpus = try NvidiaSMIList.parse(output)
        #expect(gpus.map(\.index) == [0])
        #expect(gpus[0].name == capture.load.name)
        #expect(gpus[0].uuid == "GPU-00000000-0000-0000-0000-000000000000")
        #expect(gpus[0].migInstances.map(\.profile) == capture.migProfiles)
        #expect(gpus[0].migInstances.map(\.uuid) == capture.migProfiles.indices.map { "MIG-0000000\($0)-0000-0000-0000-00000000000\($0)" })
    }

    @Test("-q text: MIG mode and MIG devices, memory, temperature", arguments: Captures.captures.map(\.file))
    func queryText(file: String) throws {
        guard let text = try Captures.text(file), let capture = Captures.captures.first(where: { $0.file == file }) else { return }
        let output = try #require(CaptureFile.output(commandPrefix: "nvidia-smi -q", state: "load", in: CaptureFile.sections(text)))
        let gpus = try NvidiaSMIQueryText.parse(output)
        #expect(gpus.count == 1)
        let gpu = gpus[0]
        #expect(gpu.name == capture.load.name)
        #expect(gpu.memoryTotalMiB == capture.load.memoryTotalMiB)
        #expect(gpu.memoryUsedMiB == capture.load.memoryUsedMiB)
        #expect(gpu.gpuUtilPercent == capture.load.util)
        #expect(gpu.temperatureCelsius == capture.load.temperature)
        #expect(gpu.migEnabled == capture.load.mig)
        #expect(gpu.eccUncorrected == 0)
        #expect(gpu.migInstances.map(\.gpuInstance) == capture.migGPUInstances)
        #expect(gpu.migInstances.map(\.computeInstance) == capture.migComputeInstances)
        #expect(gpu.migInstances.map(\.memoryMiB) == capture.migMemoryMiB)
        #expect(gpu.migInstances.map(\.memoryUsedMiB) == capture.migUsedMiB)
    }

    @Test("topo -m with its ANSI escapes: one GPU, no peers, CPU and NUMA affinity", arguments: Captures.captures.map(\.file))
    func topology(file: String) throws {
        guard let text = try Captures.text(file), let capture = Captures.captures.first(where: { $0.file == file }) else { return }
        let output = try #require(CaptureFile.outputs(of: "nvidia-smi topo -m", in: CaptureFile.sections(text)).first)
        #expect(output.contains("\u{1B}[4m"), "the capture keeps nvidia-smi's escapes")
        let rows = try NvidiaSMITopology.parse(output)
        #expect(rows == [NvidiaSMITopology.Row(gpu: 0, links: [], cpuAffinity: capture.cpuAffinity, numaNode: 0)])
    }

    @Test("a whole capture becomes a report: discovery with MIG profiles and ids, a sample where utilization is known", arguments: Captures.captures.map(\.file))
    func report(file: String) throws {
        guard let text = try Captures.text(file), let capture = Captures.captures.first(where: { $0.file == file }) else { return }
        let snapshot = try NodeProbe.snapshot(capture: text)
        let report = snapshot.report(node: NodeID("n1"), at: 1_000, catalog: .standard, baseline: ErrorBaseline())
        #expect(report.devices.count == 1)
        let device = report.devices[0]
        #expect(device.index == 0)
        #expect(device.model == capture.load.model)
        #expect(device.memoryMiB == capture.load.memoryTotalMiB)
        #expect(device.migEnabled == capture.load.mig)
        #expect(device.migInstances.map(\.profile) == capture.migProfiles)
        #expect(device.migInstances.map(\.gpuInstance) == capture.migGPUInstances)
        #expect(device.migInstances.map(\.memoryMiB) == capture.migMemoryMiB)
        if let util = capture.load.util {
            #expect(report.samples == [DeviceSample(
                device: DeviceID("n1/gpu0"), at: 1_000, gpuUtilPercent: util, memoryUsedMiB: capture.load.memoryUsedMiB, powerWatts: capture.load.power,
                temperatureCelsius: capture.load.temperature, xidErrors: nil, eccErrors: 0)])
        } else {
            // nvidia-smi gives no utilization for a GPU in MIG mode: no sample rather than a made-up 0 %.
            #expect(report.samples.isEmpty)
        }
    }

    @Test("nvidia-smi -q -x (telegraf XML)", arguments: Captures.xml.map(\.file))
    func xml(file: String) throws {
        guard let text = try Captures.text(file), let expected = Captures.xml.first(where: { $0.file == file }) else { return }
        let gpus = try NvidiaSMIXML.parse(text)
        try expect(gpus, matches: expected.gpu, file)
        #expect(gpus[0].uuid == expected.uuid)
        #expect(gpus[0].eccUncorrected == 0)
        #expect(gpus[0].migInstances.map(\.gpuInstance) == expected.migGPUInstances)
        #expect(gpus[0].migInstances.map(\.memoryMiB) == expected.migMemoryMiB)
        let report = try NodeProbe.snapshot(capture: text).report(node: NodeID("n1"), at: 5, catalog: .standard, baseline: ErrorBaseline())
        #expect(report.devices.map(\.model) == [expected.gpu.model])
    }

    @Test("DCGM exporter /metrics: labelled T4 readings; the dummy-value block and unlabelled samples are skipped")
    func dcgm() throws {
        guard let text = try Captures.text(Captures.dcgm) else { return }
        let page = try DCGMMetrics.parse(text)
        // 23 labelled samples of two hosts' T4s; 14 unlabelled dummies and the hand-written A10G line after the NOTE.
        #expect(page.devices.map(\.uuid) == ["GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e", "GPU-9ef1b6d0-3643-5dd7-b823-c0ec20dcf2d5"])
        #expect(page.devices.reduce(0) { $0 + $1.values.count } == 23)
        #expect(page.skipped == 15)
        #expect(!page.devices.contains { $0.values["DCGM_FI_PROF_GR_ENGINE_ACTIVE"] != nil })

        let first = DCGMMetrics.readings(page, hostname: "424773df46e0")
        #expect(first == [GPUReading(
            index: 0, uuid: "GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e", name: "Tesla T4", memoryTotalMiB: 15_109, memoryUsedMiB: 0, gpuUtilPercent: 0,
            powerWatts: 8.969, temperatureCelsius: 25, lastXid: 0)])
        let second = DCGMMetrics.readings(page, hostname: "551bdf382151")
        #expect(second.map(\.memoryTotalMiB) == [15_109])
        #expect(second.map(\.gpuUtilPercent) == [nil], "that host's page has no utilization")

        let report = try NodeProbe.snapshot(capture: text).report(node: NodeID("t4"), at: 9, catalog: .standard, baseline: ErrorBaseline())
        #expect(report.devices.map(\.model) == ["T4"])
        #expect(report.samples.map(\.xidErrors) == [0])
    }

    private func expect(_ gpus: [GPUReading], matches expected: Captures.GPU, _ where_: String) throws {
        try #require(gpus.count == 1, "\(where_)")
        let gpu = gpus[0]
        #expect(gpu.index == 0, "\(where_)")
        #expect(gpu.name == expected.name, "\(where_)")
        #expect(gpu.name.flatMap { ModelNames.catalogModel($0, in: .standard) } == expected.model, "\(where_)")
        #expect(gpu.memoryTotalMiB == expected.memoryTotalMiB, "\(where_)")
        #expect(gpu.memoryUsedMiB == expected.memoryUsedMiB, "\(where_)")
        #expect(gpu.gpuUtilPercent == expected.util, "\(where_)")
        #expect(gpu.temperatureCelsius == expected.temperature, "\(where_)")
        #expect(gpu.powerWatts == expected.power, "\(where_)")
        #expect(gpu.migEnabled == expected.mig, "\(where_)")
    }
}
