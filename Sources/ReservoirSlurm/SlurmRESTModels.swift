/// The parts of slurmrestd v0.0.38's replies and requests the engine uses.
///
/// Every field is optional: 22.05 writes `null` for many numbers it has no value for, and decoding only
/// what we read keeps a newer Slurm's extra fields harmless.

/// The `errors` array every reply carries; non-empty means Slurm refused (part of) the request.
struct SlurmReplyError: Decodable, Sendable {
    var error: String?
    var description: String?
    var error_number: Int?
    var error_code: Int?

    var text: String {
        [description, error].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

struct SlurmErrorsReply: Decodable, Sendable {
    var errors: [SlurmReplyError]?
}

struct SlurmNodesReply: Decodable, Sendable {
    var errors: [SlurmReplyError]?
    var nodes: [SlurmNode]?
}

struct SlurmNode: Decodable, Sendable {
    var name: String
    /// Base state, e.g. `idle`, `mixed`, `allocated`, `down`.
    var state: String?
    /// Flags on top of the base state, e.g. `DRAIN`, `NOT_RESPONDING`.
    var state_flags: [String]?
    var reason: String?
    /// Configured GRES, e.g. `gpu:a100:8` (several comma-separated, maybe with `(S:0-1)`).
    var gres: String?
    var cpus: Int?
    var real_memory: Int?
    var partitions: [String]?
}

struct SlurmJobsReply: Decodable, Sendable {
    var errors: [SlurmReplyError]?
    var jobs: [SlurmJob]?
}

struct SlurmJob: Decodable, Sendable {
    var job_id: Int
    var name: String?
    var comment: String?
    var job_state: String?
    var state_reason: String?
    var nodes: String?
    var restart_cnt: Int?
    var submit_time: Int?
    var start_time: Int?
    var end_time: Int?
    var account: String?
    var partition: String?
    var qos: String?
    var exit_code: Int?
    var gres_detail: [String]?
}

struct SlurmSubmitReply: Decodable, Sendable {
    var errors: [SlurmReplyError]?
    var job_id: Int?
}

/// `POST /slurm/v0.0.38/job/submit`. In v0.0.38 `environment` is an object, the working directory is
/// `current_working_directory`, and there is no node-list field (`required_nodes` is "disabled"), so
/// pinned jobs are submitted held and pinned with `scontrol update … NodeList=` before release.
struct SlurmSubmitRequest: Encodable, Sendable {
    struct Job: Encodable, Sendable {
        var name: String
        var comment: String
        var account: String?
        var partition: String?
        var qos: String?
        var current_working_directory: String
        var standard_output: String
        var environment: [String: String]
        var tasks: Int
        var nodes: [Int]?
        var cpus_per_task: Int
        var memory_per_cpu: Int
        var gpus_per_task: String?
        var time_limit: Int?
        var hold: Bool?
        var requeue: Bool
    }

    var script: String
    var job: Job
}
