import ReservoirCore

/// A job as a client submits it (JSON or YAML). The API shape is not the domain shape: defaults,
/// units and model spellings are resolved by `Reservoir.submit`.
public struct JobSubmission: Codable, Sendable {
    public struct Request: Codable, Sendable {
        public var gpus: Int?
        public var gpuMilli: Int?
        public var cpuMilli: Int?
        public var memoryMiB: Int?
        /// `"V100M16|V100M32"` or `["V100M16", "V100M32"]`.
        public var models: ModelList?
        /// A MIG instance (`1g.10gb`) in a `sharing: mig` pool; `gpus` and `gpuMilli` then follow from it.
        public var migProfile: String?
        /// GPU memory a share needs on its device (MiB).
        public var gpuMemoryMiB: Int?
        public var nodeSelector: [String: String]?
        public var tolerations: [Toleration]?
    }

    /// A model constraint written either as `A|B` or as a list.
    public struct ModelList: Codable, Sendable {
        public var names: [String]
        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                names = ResourceRequest.parseModels(s)
            } else {
                names = try c.decode([String].self)
            }
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(names)
        }
    }

    public var name: String
    /// Operators submit on behalf of a tenant; members' jobs always go to their own tenant.
    public var tenant: String?
    /// Under a grant: its pool when omitted.
    public var pool: String?
    /// The grant to run under (`reservoir submit --grant ID`): admitted against its quota, inside its
    /// window, in its pool, model and class (P0 on the green channel, whatever the submitter's role).
    public var grant: String?
    /// The tenant's project its usage is charged to (showback); omitted: the grant's request's project.
    public var project: String?
    public var kind: WorkloadKind?
    public var priority: PriorityClass?
    public var preemptible: Bool?
    public var replicas: Int?
    public var minMembers: Int?
    public var runtimeSeconds: Double?
    public var request: Request
    /// What to run (see `JobCommand`): `command` (an argv list) or `script`, with `args`, `env`,
    /// `workingDirectory` and `image`. All absent: the job only holds its devices for its runtime.
    public var command: [String]?
    public var script: String?
    public var args: [String]?
    public var env: [String: String]?
    public var workingDirectory: String?
    public var image: String?

    /// The submitted command, or nil when the submission names none of its fields.
    var jobCommand: JobCommand? {
        guard command != nil || script != nil || args != nil || env != nil || workingDirectory != nil || image != nil else { return nil }
        return JobCommand(argv: command, script: script, args: args ?? [], env: env ?? [:], workingDirectory: workingDirectory, image: image)
    }
}
