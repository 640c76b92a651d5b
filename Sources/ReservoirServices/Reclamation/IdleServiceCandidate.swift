import ReservoirCore

/// An idle service as operators see it: what it holds, what the rule found, and where its confirmation stands.
public struct IdleServiceCandidate: Codable, Hashable, Sendable {
    public var service: ServiceID
    public var tenant: TenantID
    public var pool: PoolID
    public var model: String
    public var replicas: Int
    /// GPUs its replicas hold, in milli-GPU.
    public var gpuMilli: Int
    public var verdict: IdleVerdict
    /// `idle`, `asked` (awaiting the owner), `kept`/`released` (answered), `due` (deadline passed unanswered).
    public var stage: String
    public var confirmation: IdleConfirmation?
    /// The rule's finding in words.
    public var summary: String

    init(service: InferenceService, verdict: IdleVerdict) {
        self.service = service.id
        self.tenant = service.tenant
        self.pool = service.pool
        self.model = service.model
        self.replicas = service.desiredReplicas
        self.gpuMilli = service.desiredReplicas * service.request.totalGPUMilli
        self.verdict = verdict
        self.confirmation = service.idleConfirmation
        self.stage = switch service.idleConfirmation?.answer {
        case nil: service.idleConfirmation == nil ? "idle" : "asked"
        case .keep: "kept"
        case .release: "released"
        }
        self.summary = Self.describe(verdict)
    }

    static func describe(_ v: IdleVerdict) -> String {
        "\(v.daysReported) of \(v.windowDays) days reported; daily peak GPU utilization at most \(Int(v.peakUtilization.rounded())) %,"
            + " GPU memory at most \(Int(v.peakMemory.rounded())) %"
    }
}
