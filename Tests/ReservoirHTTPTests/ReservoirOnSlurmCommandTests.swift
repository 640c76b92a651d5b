import Foundation
import ReservoirCore
import ReservoirEngine
import Testing

@testable import ReservoirSlurm

/// Jobs with a command on the real Slurm dev cluster, through Reservoir's API: the script really runs,
/// its exit code fails the job with that code and Slurm's reason, and the logs API serves its output.
/// Skipped only when no cluster is found and `CI` is unset (as `ReservoirOnSlurmTests`).
@Suite(.serialized, .enabled(if: ReservoirOnSlurm.shouldRun, "no Slurm dev cluster (scripts/slurm-dev-cluster.sh start) and CI unset"))
struct ReservoirOnSlurmCommandTests {
    @Test("`echo hello; exit 3` fails with exit code 3 and its logs say hello; a command with args and env succeeds and its logs are served")
    func commandsRunOnSlurm() async throws {
        let world = try await ReservoirOnSlurm.make()
        try await InProcessServer.with(world.reservoir) { api, _ in
            let alpha = try await world.tenant(api, "cmd", guaranteed: 2, limit: 2)

            var failing = Fixture.job("fails", pool: world.pool.rawValue, gpus: 1, runtime: 60)
            failing["script"] = "echo hello; exit 3"
            let failed = try await submit(api, alpha, failing)
            let (state, seen) = try await api.waitForJob(failed, token: alpha.token, timeout: 90) { $0 == "failed" || $0 == "succeeded" }
            #expect(state == "failed", "went \(seen)")
            let job = try await api.get("/v1/jobs/\(failed)", token: alpha.token).object
            #expect(job["exitCode"] as? Int == 3, "\(job)")
            #expect((job["message"] as? String ?? "").hasPrefix("exit code 3"), "\(job)")
            let events = try await api.get("/v1/jobs/\(failed)/events", token: alpha.token).array
            #expect(events.contains { ($0["message"] as? String ?? "").contains("exit code 3") }, "\(events)")
            let logs = try await api.get("/v1/jobs/\(failed)/logs", token: alpha.token).object
            #expect(logs["text"] as? String == "hello\n", "\(logs)")
            #expect(logs["complete"] as? Bool == true)
            #expect((logs["location"] as? String ?? "").hasPrefix("\(world.base)/jobs/\(failed)-"), "\(logs)")

            var succeeding = Fixture.job("greets", pool: world.pool.rawValue, gpus: 1, runtime: 60)
            succeeding["command"] = ["/bin/sh", "-c", "echo \"$GREETING $1 from $(pwd)\"; echo job=$RESERVOIR_JOB", "sh"]
            succeeding["args"] = ["world"]
            succeeding["env"] = ["GREETING": "hi"]
            succeeding["workingDirectory"] = "/tmp"
            let succeeded = try await submit(api, alpha, succeeding)
            let (okState, okSeen) = try await api.waitForJob(succeeded, token: alpha.token, timeout: 90) { $0 == "failed" || $0 == "succeeded" }
            #expect(okState == "succeeded", "went \(okSeen)")
            let ok = try await api.get("/v1/jobs/\(succeeded)/logs", token: alpha.token).object
            #expect(ok["text"] as? String == "hi world from /tmp\njob=\(succeeded)\n", "\(ok)")
            #expect(ok["exitCode"] as? Int == 0)
            let tail = try await api.get("/v1/jobs/\(succeeded)/logs?offset=3", token: alpha.token).object
            #expect(tail["text"] as? String == "world from /tmp\njob=\(succeeded)\n", "\(tail)")
        }
    }

    private func submit(_ api: API, _ member: ReservoirOnSlurm.Member, _ body: [String: Any]) async throws -> String {
        let reply = try await api.post("/v1/jobs", token: member.token, json: body)
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.object["id"] as? String)
    }
}
