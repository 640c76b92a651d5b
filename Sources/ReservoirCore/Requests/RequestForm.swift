/// What a team asks for (SPEC §5.1): the intake form of a resource request, as JSON or YAML
/// (`examples/request-*.yaml`) or the CLI's guided prompts. Common fields first, then exactly one of
/// `training` or `inference` matching `kind`. `problems(…)` (RequestFormValidation) names every missing
/// or bad field at once; nothing is stored until the form is sound.
public struct RequestForm: Codable, Hashable, Sendable {
    /// The tenant the capacity is for; nil: the applicant's own tenant.
    public var tenant: TenantID?
    public var department: String?
    public var project: String?
    /// How to reach the applicant (mail, chat handle, phone).
    public var contact: String?
    public var businessGoal: String?
    public var businessValue: String?
    public var kind: RequestKind?
    public var category: RequestCategory?
    /// The pool wanted; nil: any pool that has the model.
    public var pool: PoolID?
    /// When the window should open (seconds since the epoch); nil: as soon as it is granted.
    public var startsAt: Double?
    public var training: TrainingDetails?
    public var inference: InferenceDetails?
    /// Present only on the emergency green channel (SPEC §5.6).
    public var emergency: EmergencyDetails?

    public init(kind: RequestKind? = nil, category: RequestCategory? = nil) {
        self.kind = kind
        self.category = category
    }
}

public enum RequestKind: String, Codable, Hashable, Sendable, CaseIterable { case training, inference }

/// The sub-kind that decides lease terms and compliance rules.
public enum RequestCategory: String, Codable, Hashable, Sendable, CaseIterable {
    /// L1 large-model training: no fixed term, monthly review.
    case largeModel = "L1"
    /// L2 fine-tuning: a lease of at most 7 days by default.
    case fineTuning = "L2"
    /// Research / exploration: may not take the strategic reserve.
    case research
    /// An online inference service: no fixed term, idle detection.
    case online
    /// Offline batch inference.
    case offlineBatch = "offline-batch"

    public var kind: RequestKind {
        switch self {
        case .largeModel, .fineTuning, .research: .training
        case .online, .offlineBatch: .inference
        }
    }
}

/// How often a training run repeats.
public enum RunFrequency: String, Codable, Hashable, Sendable, CaseIterable { case once, daily, weekly, monthly }

public struct TrainingDetails: Codable, Hashable, Sendable {
    public var modelName: String?
    /// e.g. `llm`, `vision`, `multimodal`, `recommendation`.
    public var modelType: String?
    public var framework: String?
    /// Parameters (7e10 for 70B). The CLI also reads `70B`, `13B`, `350M`.
    public var parameters: Double?
    /// Training tokens (2e12 for 2T); either this or `datasetSizeGB` is required.
    public var tokens: Double?
    public var datasetSizeGB: Double?
    /// e.g. `text`, `image`, `audio`, `video`, `tabular`.
    public var datasetType: String?
    /// Catalog GPU model wanted (`H100-80GB`).
    public var gpuModel: String?
    public var gpus: Int?
    /// How long the applicant expects the run to take.
    public var durationHours: Double?
    public var frequency: RunFrequency?
    public var cudaVersion: String?
    public var pythonVersion: String?
    /// Libraries and their versions (`torch: "2.4"`).
    public var libraries: [String: String]?

    public init() {}
}

public struct InferenceDetails: Codable, Hashable, Sendable {
    public var modelName: String?
    public var inputFormat: String?
    public var outputFormat: String?
    public var sla: RequestSLA?
    /// Replicas kept beyond what the peak needs, for availability.
    public var haReplicas: Int?
    /// Share of traffic a canary takes (0…100); nil or 0: no canary.
    public var canaryPercent: Double?
    public var gpuModel: String?
    /// GPUs asked for; nil: the estimator's answer from `loadTest`.
    public var gpus: Int?
    /// The applicant's load test (concurrency → latency, QPS per GPU), for the estimator.
    public var loadTest: [LoadTestRow]?
    /// A window for offline batch work; online services have no fixed term.
    public var durationHours: Double?

    public init() {}
}

public struct RequestSLA: Codable, Hashable, Sendable {
    public var meanLatencyMs: Double?
    public var p99LatencyMs: Double?
    public var peakQPS: Double?
    public var meanQPS: Double?

    public init(meanLatencyMs: Double? = nil, p99LatencyMs: Double? = nil, peakQPS: Double? = nil, meanQPS: Double? = nil) {
        self.meanLatencyMs = meanLatencyMs
        self.p99LatencyMs = p99LatencyMs
        self.peakQPS = peakQPS
        self.meanQPS = meanQPS
    }
}

/// Why a request takes the emergency green channel: one of the categories the config file defines.
public struct EmergencyDetails: Codable, Hashable, Sendable {
    /// A category from `requests.emergency.categories` (e.g. `production-outage`).
    public var category: String?
    /// The incident's reference (ticket id).
    public var incident: String?
    public var description: String?

    public init(category: String? = nil, incident: String? = nil, description: String? = nil) {
        self.category = category
        self.incident = incident
        self.description = description
    }
}
