import ReservoirAgent
import ReservoirCore
import Testing

/// What the real captures lack, on inputs written here and labelled SYNTHETIC: a multi-GPU NVLink
/// matrix (every capture is a 1-GPU VM), noheader/nounits CSV as the agent asks for it, XID errors,
/// MIG labels in DCGM, and the error baseline across reports.
@Suite("Agent parsers on synthetic input")
struct SyntheticParserTests {
    /// SYNTHETIC: shaped like `nvidia-smi topo -m` on a 4-GPU NVLink node with a NIC; not a real capture.
    static let syntheticTopology = """
        \u{1B}[4m\tGPU0\tGPU1\tGPU2\tGPU3\tNIC0\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID\u{1B}[0m
        GPU0\t X \tNV12\tNV12\tSYS\tPIX\t0-31\t0\t\tN/A
        GPU1\tNV12\t X \tNV12\tSYS\tPIX\t0-31\t0\t\tN/A
        GPU2\tNV12\tNV12\t X \tNV4\tSYS\t32-63\t1\t\tN/A
        GPU3\tSYS\tSYS\tNV4\t X \tSYS\t32-63\t1\t\tN/A
        NIC0\tPIX\tPIX\tSYS\tSYS\t X \t\t\t\t

        Legend:

          X    = Self
        """

    @Test("SYNTHETIC topo -m: NVLink bonds and PCIe paths between four GPUs; NIC rows skipped")
    func topology() throws {
        let rows = try NvidiaSMITopology.parse(Self.syntheticTopology)
        #expect(rows.map(\.gpu) == [0, 1, 2, 3])
        #expect(rows[0].links == [DeviceLink(peer: 1, kind: "NV12"), DeviceLink(peer: 2, kind: "NV12"), DeviceLink(peer: 3, kind: "SYS")])
        #expect(rows[2].links.map(\.nvlinks) == [12, 12, 4])
        #expect(rows[3].links.map(\.kind) == ["SYS", "SYS", "NV4"])
        #expect(rows.map(\.cpuAffinity) == ["0-31", "0-31", "32-63", "32-63"])
        #expect(rows.map(\.numaNode) == [0, 0, 1, 1])
    }

    @Test("SYNTHETIC noheader,nounits CSV with the agent's own fields; two GPUs, one in MIG mode")
    func csvWithoutHeader() throws {
        let csv = """
            0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559, 40000, 87, 61, 512.50, Disabled, 0
            1, GPU-bbbb, NVIDIA H100 80GB HBM3, 81559, 11125, [N/A], 53, 433.78, Enabled, 2
            """
        let gpus = try NvidiaSMIQueryCSV.parse(csv, fields: NvidiaSMIQueryCSV.agentFields)
        #expect(gpus.map(\.index) == [0, 1])
        #expect(gpus.map(\.gpuUtilPercent) == [87, nil])
        #expect(gpus.map(\.migEnabled) == [false, true])
        #expect(gpus.map(\.eccUncorrected) == [0, 2])
        #expect(throws: ParseError.self) { try NvidiaSMIQueryCSV.parse("0, GPU-a", fields: NvidiaSMIQueryCSV.agentFields) }
    }

    @Test("SYNTHETIC DCGM page with an XID and MIG labels")
    func dcgmXidAndMIG() throws {
        let page = try DCGMMetrics.parse("""
            # HELP DCGM_FI_DEV_XID_ERRORS Value of the last XID error encountered.
            DCGM_FI_DEV_XID_ERRORS{gpu="1",UUID="GPU-x",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",hostname="n1"} 79
            DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-x",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",hostname="n1"} 35
            DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-x",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",hostname="n1"} 1000
            DCGM_FI_DEV_FB_FREE{gpu="1",UUID="GPU-x",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",hostname="n1"} 80920
            DCGM_FI_DEV_FB_USED{gpu="2",UUID="GPU-y",device="nvidia2",modelName="NVIDIA A100-SXM4-80GB",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1",hostname="n1"} 512
            """)
        let readings = DCGMMetrics.readings(page)
        #expect(readings.map(\.index) == [1, 2])
        #expect(readings[0].lastXid == 79)
        #expect(readings[0].memoryTotalMiB == 81_920)
        #expect(readings[1].migInstances == [MIGInstance(profile: "3g.40gb", gpuInstance: 1, memoryUsedMiB: 512)])
        #expect(throws: ParseError.self) { try DCGMMetrics.parse("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\" 5") }
    }

    @Test("the error baseline reports only new ECC errors and a changed XID once")
    func baseline() {
        let node = NodeID("n1")
        var snapshot = NodeSnapshot(sources: [[GPUReading(index: 0, memoryUsedMiB: 1, gpuUtilPercent: 50, eccUncorrected: 3, lastXid: 0)]])
        var baseline = ErrorBaseline()
        #expect(snapshot.samples(node: node, at: 0, baseline: baseline).map(\.eccErrors) == [3])
        baseline = baseline.after(snapshot)
        #expect(snapshot.samples(node: node, at: 60, baseline: baseline).map(\.eccErrors) == [0])
        snapshot.gpus[0].lastXid = 79
        snapshot.gpus[0].eccUncorrected = 5
        #expect(snapshot.samples(node: node, at: 120, baseline: baseline).map(\.xidErrors) == [1])
        #expect(snapshot.samples(node: node, at: 120, baseline: baseline).map(\.eccErrors) == [2])
        baseline = baseline.after(snapshot)
        #expect(snapshot.samples(node: node, at: 180, baseline: baseline).map(\.xidErrors) == [0])
    }

    @Test("malformed tool output is a ParseError naming the tool, never a trap")
    func malformed() {
        #expect(throws: ParseError.self) { try NvidiaSMIList.parse("GPU x: broken") }
        #expect(throws: ParseError.self) { try NvidiaSMITopology.parse("no matrix here") }
        #expect(throws: ParseError.self) { try NvidiaSMIXML.parse("<nvidia_smi_log><gpu>") }
        #expect(throws: ParseError.self) { try NvidiaSMIQueryText.parse("nothing") }
        #expect(throws: ParseError.self) { try NodeProbe.snapshot(capture: "# just a comment") }
    }
}
