import Foundation
@testable import ReservoirCLI
import ReservoirCore
import ReservoirServices
import Testing

/// Utilization over HTTP: samples recorded through `reservoir.telemetry.record` come back from
/// `GET /v1/utilization` by job, tenant and pool, as each caller may see them, and the CLI reads them.
@Suite("Utilization over HTTP")
struct UtilizationHTTPTests {
    @Test("samples of a running job are read back by job, tenant and pool; other tenants are refused")
    func readBack() async throws {
        try await InProcessServer.with(speed: 1) { api, reservoir in
            let t = try await Fixture.setUp(api)
            let submitted = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("train", gpus: 1, runtime: 3600))
            let id = try #require(submitted.object["id"] as? String, "\(submitted.text)")
            _ = try await api.waitForJob(id, token: t.alice) { $0 == "running" }
            let job = try await api.get("/v1/jobs/\(id)", token: t.alice)
            let placement = try #require((job.object["placements"] as? [[String: Any]])?.first, "\(job.text)")
            let node = try #require(placement["node"] as? String)
            let index = try #require((placement["deviceIndices"] as? [Int])?.first)
            let held = DeviceID("\(node)/gpu\(index)")
            let idle: DeviceID = held.rawValue.hasSuffix("gpu0") ? DeviceID("\(node)/gpu1") : DeviceID("\(node)/gpu0")
            let now = reservoir.now()
            let receipt = try reservoir.telemetry.record([
                DeviceSample(device: held, at: now - 120, gpuUtilPercent: 90, memoryUsedMiB: 40_960),
                DeviceSample(device: held, at: now - 60, gpuUtilPercent: 70, memoryUsedMiB: 40_960),
                DeviceSample(device: idle, at: now - 60, gpuUtilPercent: 0, memoryUsedMiB: 0),
            ])
            #expect(receipt.accepted == 3)

            let mine = try await api.get("/v1/utilization?scope=job&id=\(id)&since=\(Int(now - 600))", token: t.alice)
            #expect(mine.status == 200, "\(mine.text)")
            let report = try JSONDecoder().decode(UtilizationReport.self, from: mine.body)
            #expect(report.resolution == .minute && report.points.map(\.gpuUtilMean) == [90, 70])
            #expect(report.summary.dailyPeakGpuUtil == 90 && report.summary.dailyMeanGpuUtil == 80 && report.summary.dailyPeakMemoryFraction == 0.5)

            let tenant = try await api.get("/v1/utilization?scope=tenant&id=alpha&resolution=hour", token: t.alice)
            #expect(tenant.status == 200, "\(tenant.text)")
            #expect(try JSONDecoder().decode(UtilizationReport.self, from: tenant.body).points.reduce(0) { $0 + $1.samples } == 2)
            let pool = try JSONDecoder().decode(
                UtilizationReport.self, from: try await api.get("/v1/utilization?scope=pool&id=p1&since=\(Int(now - 600))&resolution=minute", token: Fixture.operatorToken).body)
            #expect(pool.points.map(\.devices) == [1, 2] && pool.summary.dailyMeanGpuUtil.map { abs($0 - 160.0 / 3) < 1e-9 } == true)

            let theirs = try await api.get("/v1/utilization?scope=job&id=\(id)", token: t.bob)
            #expect(theirs.status == 404 && theirs.errorField == "id")
            let otherTenant = try await api.get("/v1/utilization?scope=tenant&id=alpha", token: t.bob)
            #expect(otherTenant.status == 403 && otherTenant.errorField == "id")
            let missingID = try await api.get("/v1/utilization?scope=pool", token: t.bob)
            #expect(missingID.status == 400 && missingID.errorField == "id")

            let rendered = UsageUtil.render(report)
            #expect(rendered.contains("90.0") && rendered.contains("last 24 h: GPU util peak 90.0 %, mean 80.0 %"), "\(rendered)")
            let parsed = try UsageUtil.parse(["--job", id, "--since", "7d", "--resolution", "hour"])
            #expect(try parsed.scope() == (.job, id) && parsed.resolution == .hour)
            #expect(throws: (any Error).self) { try UsageUtil.parse(["--pool", "p1", "--node", "n"]).scope() }
        }
    }
}
