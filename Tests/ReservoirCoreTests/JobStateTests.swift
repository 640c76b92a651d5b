import ReservoirCore
import Testing

@Suite("Job state machine")
struct JobStateTests {
    @Test(arguments: [
        (JobState.queued, JobState.admitted, true), (.queued, .running, false), (.admitted, .running, true),
        (.running, .succeeded, true), (.running, .preempted, true), (.preempted, .admitted, true),
        (.succeeded, .running, false), (.cancelled, .queued, false), (.failed, .cancelled, false), (.queued, .cancelled, true),
    ])
    func transitions(from: JobState, to: JobState, allowed: Bool) {
        #expect(from.canTransition(to: to) == allowed)
    }

    @Test func finalStatesNeverChange() {
        for final in JobState.allCases where final.isFinal {
            for next in JobState.allCases { #expect(!final.canTransition(to: next)) }
        }
    }

    @Test func illegalTransitionThrowsConflictNamingState() {
        var job = Job(id: "j", name: "n", tenant: "t", submittedBy: "u", request: ResourceRequest(gpus: 1))
        #expect(throws: ReservoirError.self) { try job.transition(to: .succeeded) }
        do { try job.transition(to: .succeeded) } catch { #expect(error.code == .conflict && error.field == "state") }
        #expect(job.state == .queued)
    }
}

@Suite("Request and quota validation")
struct ValidationTests {
    @Test(arguments: [
        (ResourceRequest(gpus: -1), "request.gpus"),
        (ResourceRequest(gpus: 2, gpuMilli: 500), "request.gpuMilli"),
        (ResourceRequest(gpus: 1, gpuMilli: 0), "request.gpuMilli"),
        (ResourceRequest(gpus: 0, cpuMilli: -5), "request.cpuMilli"),
        (ResourceRequest(gpus: 0, memoryMiB: 1_000_000_000), "request.memoryMiB"),
        (ResourceRequest(gpus: 0, cpuMilli: 0, memoryMiB: 0), "request"),
    ])
    func badRequestsNameTheField(request: ResourceRequest, field: String) {
        do {
            try request.validate()
            Issue.record("expected \(field) to be rejected")
        } catch {
            #expect(error.field == field)
        }
    }

    @Test func shareOfOneGPUIsValid() throws {
        try ResourceRequest(gpus: 1, gpuMilli: 250).validate()
        #expect(ResourceRequest(gpus: 1, gpuMilli: 250).totalGPUMilli == 250)
        #expect(ResourceRequest(gpus: 0, gpuMilli: 1000).totalGPUMilli == 0)
    }

    @Test func quotaRules() {
        #expect(throws: ReservoirError.self) { try Quota(tenant: "a", pool: "p", guaranteedMilli: -1, limitMilli: 0).validate() }
        #expect(throws: ReservoirError.self) { try Quota(tenant: "a", pool: "p", guaranteedMilli: 5000, limitMilli: 1000).validate() }
        #expect(throws: Never.self) { try Quota(tenant: "a", pool: "p", guaranteedMilli: 1000, limitMilli: 1000).validate() }
        #expect(Quota(tenant: "a", pool: "p", model: "*", guaranteedMilli: 0, limitMilli: 0).applies(to: "T4"))
        #expect(!Quota(tenant: "a", pool: "p", model: "A10", guaranteedMilli: 0, limitMilli: 0).applies(to: "T4"))
    }

    @Test func jobValidation() {
        let job = Job(id: "j", name: "", tenant: "t", submittedBy: "u", request: ResourceRequest(gpus: 1))
        do { try job.validate(); Issue.record("empty name accepted") } catch { #expect(error.field == "name") }
        var gang = Job(id: "j", name: "g", tenant: "t", submittedBy: "u", replicas: 2, request: ResourceRequest(gpus: 1))
        gang.minMembers = 3
        do { try gang.validate(); Issue.record("minMembers > replicas accepted") } catch { #expect(error.field == "minMembers") }
    }
}
