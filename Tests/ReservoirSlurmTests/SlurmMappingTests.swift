import ReservoirCore
import ReservoirEngine
import Testing

@testable import ReservoirSlurm

/// The pure translations, without a cluster: state words, tags, GRES strings, sacct lines, event rules.
@Suite struct SlurmMappingTests {
    @Test(arguments: [
        ("RUNNING", "None", 0, EngineJobPhase.running),
        ("COMPLETING", "None", 0, .running),
        ("COMPLETED", "None", 0, .succeeded),
        ("CANCELLED", "None", 0, .cancelled),
        ("FAILED", "NonZeroExitCode", 0, .failed),
        ("TIMEOUT", "TimeLimit", 0, .failed),
        ("NODE_FAIL", "None", 0, .failed),
        ("PENDING", "Resources", 0, .pending),
        ("PENDING", "JobHeldUser", 0, .pending),
        ("PENDING", "JobHeldUser", 1, .preempted),
        ("PENDING", "launch_failed_requeued_held", 1, .pending),
        ("PREEMPTED", "None", 0, .preempted),
    ])
    func phase(state: String, reason: String, restarts: Int, expected: EngineJobPhase) {
        #expect(SlurmMapping.phase(state: state, reason: reason, restarts: restarts) == expected)
    }

    @Test func tagsRoundTrip() {
        let job = JobID("j-42")
        #expect(SlurmMapping.reservoirJob(comment: SlurmMapping.comment(for: job, instance: nil), name: nil, instance: nil) == job)
        #expect(SlurmMapping.reservoirJob(comment: "", name: SlurmMapping.name(for: job, instance: nil), instance: nil) == job)
        #expect(SlurmMapping.reservoirJob(comment: "someone else's", name: "wrap", instance: nil) == nil)
        let evicting = SlurmMapping.preemptedComment(for: job, instance: "a1")
        #expect(SlurmMapping.reservoirJob(comment: evicting, name: nil, instance: "a1") == job)
    }

    @Test("a tag carries the instance: another Reservoir's (or an earlier database's) job of the same number is not ours")
    func tagsAreScopedToTheInstance() {
        let job = JobID("job-000001")
        let mine = SlurmMapping.comment(for: job, instance: "a1b2")
        #expect(mine == "reservoir-job=job-000001@a1b2")
        #expect(SlurmMapping.reservoirJob(comment: mine, name: nil, instance: "a1b2") == job)
        #expect(SlurmMapping.reservoirJob(comment: mine, name: nil, instance: "ffff") == nil)
        #expect(SlurmMapping.reservoirJob(comment: mine, name: nil, instance: nil) == nil)
        #expect(SlurmMapping.reservoirJob(comment: SlurmMapping.comment(for: job, instance: nil), name: nil, instance: "a1b2") == nil)
        #expect(SlurmMapping.reservoirJob(comment: "", name: SlurmMapping.name(for: job, instance: "a1b2"), instance: "a1b2") == job)
    }

    @Test func gresParsing() {
        #expect(SlurmMapping.gpus(inGres: "gpu:a100:8(S:0-1)").map(\.type) == ["a100"])
        #expect(SlurmMapping.gpus(inGres: "gpu:a100:8,gpu:2,mps:100").map(\.count) == [8, 2])
        #expect(SlurmMapping.gpus(inGres: "(null)").isEmpty)
    }

    @Test func classesPreemptOnlyLessImportantOnes() {
        #expect(SlurmMapping.preemptable(by: .p0, prefix: "r") == ["r-p1", "r-p2", "r-p3"])
        #expect(SlurmMapping.preemptable(by: .p2, prefix: "r") == ["r-p3"])
        #expect(SlurmMapping.preemptable(by: .p3, prefix: "r").isEmpty)
        #expect(SlurmMapping.qosPriority(.p0) > SlurmMapping.qosPriority(.p1))
    }

    @Test func nodeStates() {
        #expect(SlurmMapping.nodeState(state: "idle", flags: []) == .ready)
        #expect(SlurmMapping.nodeState(state: "mixed", flags: ["DRAIN"]) == .cordoned)
        #expect(SlurmMapping.nodeState(state: "down", flags: ["NOT_RESPONDING"]) == .down)
    }

    @Test func quotaLimitRoundsDown() {
        #expect(SlurmMapping.grpTRES(limitMilli: 12_500, gresType: nil) == "gres/gpu=12")
        #expect(SlurmMapping.grpTRES(limitMilli: 4000, gresType: "a100") == "gres/gpu:a100=4")
    }

    @Test func partitionsFileRoundTrip() {
        let line = SlurmMapping.partitionLine(pool: "train", nodes: ["rn2", "rn1"])
        #expect(line == "PartitionName=train Nodes=rn1,rn2 MaxTime=INFINITE State=UP")
        #expect(SlurmMapping.parsePartitions("# x\n" + line + "\n") == ["train": ["rn1", "rn2"]])
    }

    @Test func sacctLine() throws {
        let line = "17|reservoir.j1|reservoir-job=j1|team-a|gpu|COMPLETED|1795475762|1795475767|5|billing=1,cpu=1,gres/gpu:a100=2,gres/gpu=2,mem=2000M,node=1"
        let record = try #require(SlurmUsageParser.record(line: line, instance: nil))
        #expect(record.job == "j1")
        #expect(record.gpus == 2)
        #expect(record.gpuSeconds == 10)
        #expect(record.finishedAt == 1_795_475_767)
        #expect(SlurmUsageParser.record(line: "18|wrap||team-a|gpu|COMPLETED|1|2|1|gres/gpu=1", instance: nil) == nil)
    }

    @Test func eventsFollowTransitions() {
        var tracker = SlurmEventTracker()
        func job(_ state: String, _ reason: String = "None", restarts: Int = 0) -> SlurmJob {
            SlurmJob(job_id: 7, job_state: state, state_reason: reason, restart_cnt: restarts, start_time: 100, end_time: 200)
        }
        #expect(tracker.observe("j", job("PENDING", "Priority"), now: 50).isEmpty)
        #expect(tracker.observe("j", job("RUNNING"), now: 101).map(\.kind) == [.started])
        #expect(tracker.observe("j", job("RUNNING"), now: 102).isEmpty)
        #expect(tracker.observe("j", job("PENDING", "JobHeldUser", restarts: 1), now: 103).map(\.kind) == [.preempted])
        #expect(tracker.observe("j", job("RUNNING", restarts: 1), now: 104).map(\.kind) == [.started])
        #expect(tracker.observe("j", job("RUNNING", restarts: 2), now: 105).map(\.kind) == [.preempted, .started])
        #expect(tracker.observe("j", job("COMPLETED", restarts: 2), now: 300).map(\.kind) == [.succeeded])
    }
}
