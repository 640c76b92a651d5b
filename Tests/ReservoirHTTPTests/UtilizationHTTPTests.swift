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
            let parsed = try #require(try ReservoirCommand.parseAsRoot(["usage", "util", "--job", id, "--since", "7d", "--resolution", "hour"]) as? UsageUtil)
            #expect(try parsed.scope() == (.job, id) && parsed.resolution == .hour && parsed.since?.text == "7d")
            #expect(try ReservoirCommand.parseAsRoot(["usage", "--since", "30d"]) is UsageHours)

            let week = try await api.get("/v1/utilization?scope=job&id=\(id)&since=7d", token: t.alice)
            let weekly = try JSONDecoder().decode(UtilizationReport.self, from: week.body)
            #expect(week.status == 200 && abs(weekly.since - (now - 7 * 86_400)) < 60 && weekly.resolution == .hour, "\(week.text)")
            let iso = try await api.get("/v1/utilization?since=2026-12-01&until=2026-12-02T00:00:00Z", token: Fixture.operatorToken)
            #expect(try JSONDecoder().decode(UtilizationReport.self, from: iso.body).since == 1_796_083_200, "\(iso.text)")
            let nonsense = try await api.get("/v1/utilization?since=lately", token: Fixture.operatorToken)
            #expect(nonsense.status == 400 && nonsense.errorField == "since")
            #expect(throws: (any Error).self) { try UsageUtil.parse(["--pool", "p1", "--node", "n"]).scope() }
        }
    }

    @Test("POST /v1/telemetry/samples: a bad sample refuses the report naming its field, repeats are counted, members may not report")
    func reportSamples() async throws {
        try await InProcessServer.with(speed: 1) { api, reservoir in
            let t = try await Fixture.setUp(api)
            let now = reservoir.now()
            func sample(_ device: String, _ util: Double, ago: Double = 30) -> [String: Any] {
                ["device": device, "at": now - ago, "gpuUtilPercent": util, "memoryUsedMiB": 1024]
            }
            let bad = try await api.post("/v1/telemetry/samples", token: Fixture.operatorToken, json: ["samples": [sample("a100-01/gpu0", 50), sample("a100-01/gpu1", 250)]])
            #expect(bad.status == 400 && bad.errorField == "samples[1].gpuUtilPercent", "\(bad.text)")
            let unknown = try await api.post("/v1/telemetry/samples", token: Fixture.operatorToken, json: ["samples": [sample("a100-09/gpu0", 50)]])
            #expect(unknown.status == 404 && unknown.errorField == "samples[0].device", "\(unknown.text)")
            let typo = try await api.post("/v1/telemetry/samples", token: Fixture.operatorToken, json: ["samples": [["device": "a100-01/gpu0", "at": now, "gpuUtil": 5, "memoryUsedMiB": 0]]])
            #expect(typo.status == 400, "\(typo.text)")
            let empty = try await api.get("/v1/utilization?scope=node&id=a100-01&since=\(Int(now - 600))", token: Fixture.operatorToken)
            #expect((empty.object["points"] as? [Any])?.isEmpty == true, "\(empty.text)")

            let flood = (0..<500).map { _ in sample("a100-01/gpu0", 40) } + [sample("a100-01/gpu1", 60), sample("a100-01/gpu0", 90, ago: 90)]
            let accepted = try await api.post("/v1/telemetry/samples", token: Fixture.operatorToken, json: ["samples": flood])
            #expect(accepted.status == 200, "\(accepted.text)")
            #expect(accepted.object["received"] as? Int == 502 && accepted.object["accepted"] as? Int == 3 && accepted.object["duplicates"] as? Int == 499)
            let node = try JSONDecoder().decode(
                UtilizationReport.self, from: try await api.get("/v1/utilization?scope=node&id=a100-01&since=\(Int(now - 600))", token: Fixture.operatorToken).body)
            #expect(node.points.reduce(0) { $0 + $1.samples } == 3 && node.summary.dailyPeakGpuUtil == 90)

            let member = try await api.post("/v1/telemetry/samples", token: t.alice, json: ["samples": [sample("a100-01/gpu0", 50)]])
            #expect(member.status == 403, "\(member.text)")
        }
    }
}
