import ReservoirCore
import Testing

@Suite("GPU catalog")
struct CatalogTests {
    @Test(arguments: ["A100-40GB", "A100-80GB", "H100-80GB", "H200", "V100-16GB", "V100-32GB", "T4", "A10", "L40S", "P100", "Ascend-910B", "G1", "G2", "G3"])
    func seededModelsExist(name: String) throws {
        let model = try #require(GPUCatalog.standard.model(named: name))
        #expect(model.pricePerHour > 0)
        if !model.opaque {
            #expect(model.memoryMiB > 0 && model.fp16TFLOPS > 0 && model.memoryBandwidthGBps > 0)
        }
    }

    @Test func aliasesResolveToCanonicalNames() {
        #expect(GPUCatalog.standard.canonicalName("V100M16") == "V100-16GB")
        #expect(GPUCatalog.standard.canonicalName("v100m32") == "V100-32GB")
        #expect(GPUCatalog.standard.canonicalName("910B") == "Ascend-910B")
        #expect(GPUCatalog.standard.canonicalName("nonsense") == nil)
    }

    @Test func upsertReplacesByName() {
        var catalog = GPUCatalog.standard
        var t4 = catalog.model(named: "T4")!
        t4.pricePerHour = 0.5
        catalog.upsert(t4)
        #expect(catalog.model(named: "T4")?.pricePerHour == 0.5)
        #expect(catalog.models.count == GPUCatalog.standard.models.count)
    }
}

@Suite("openb trace parsing")
struct OpenbTraceTests {
    @Test func podListWithAndWithoutTimeColumns() throws {
        let full = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            p0,12000,16384,1,460,V100M16|V100M32,LS,Running,0,100,5
            p1,8000,30517,0,0,,BE,Running,10,20,10
            """
        let pods = try OpenbTrace.parsePods(csv: full)
        #expect(pods.count == 2)
        #expect(pods[0].gpuSpec == ["V100M16", "V100M32"] && pods[0].totalGPUMilli == 460 && pods[0].scheduledTime == 5)
        #expect(pods[1].numGPU == 0 && pods[1].gpuMilli == 0 && pods[1].qos == "BE")

        let short = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,6000,12288,2,1000\n"
        let shortPods = try OpenbTrace.parsePods(csv: short)
        #expect(shortPods[0].totalGPUMilli == 2000 && shortPods[0].creationTime == nil && shortPods[0].gpuSpec.isEmpty)
    }

    @Test func reorderedColumnsAndQuotedFields() throws {
        let csv = "gpu_milli,num_gpu,name,memory_mib,cpu_milli\n1000,1,\"pod,a\",1024,2000\n"
        let pods = try OpenbTrace.parsePods(csv: csv)
        #expect(pods[0].name == "pod,a" && pods[0].cpuMilli == 2000)
    }

    @Test func errorsNameLineAndColumn() {
        #expect(throws: OpenbTrace.ParseError(line: 1, column: "num_gpu", message: "missing column")) {
            try OpenbTrace.parsePods(csv: "name,cpu_milli,memory_mib,gpu_milli\n")
        }
        #expect(throws: OpenbTrace.ParseError(line: 3, column: "cpu_milli", message: "not a whole number in range: x")) {
            try OpenbTrace.parseNodes(csv: "sn,cpu_milli,memory_mib,gpu,model\nn0,1000,10,1,T4\nn1,x,10,1,T4\n")
        }
        // Beyond Int's range: refused, not a trap in the Double → Int conversion.
        for huge in ["1e300", "-1e19", "9.3e18"] {
            #expect(throws: OpenbTrace.ParseError(line: 2, column: "cpu_milli", message: "not a whole number in range: \(huge)")) {
                try OpenbTrace.parseNodes(csv: "sn,cpu_milli,memory_mib,gpu,model\nn0,\(huge),10,1,T4\n")
            }
        }
    }
}
