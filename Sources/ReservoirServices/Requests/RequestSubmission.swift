import ReservoirCore

/// What `POST /v1/requests` takes: the intake form's fields at the top level, and optionally a `job`
/// to run under the grant when the request is approved in the same call (a small standard request:
/// "auto-approved, and its job running").
public struct RequestSubmission: Codable, Sendable {
    public var form: RequestForm
    public var job: JobSubmission?

    public init(form: RequestForm, job: JobSubmission? = nil) {
        self.form = form
        self.job = job
    }

    private enum CodingKeys: String, CodingKey { case job }

    /// The form and `job` share one object, so a key neither knows is still refused by strict decoding.
    public init(from decoder: any Decoder) throws {
        form = try RequestForm(from: decoder)
        job = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(JobSubmission.self, forKey: .job)
    }

    public func encode(to encoder: any Encoder) throws {
        try form.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(job, forKey: .job)
    }
}

/// A request as the API shows it: the stored request and whether its review is overdue now.
public struct RequestView: Codable, Sendable {
    public var request: AllocationRequest
    /// Routed, undecided and past its review deadline.
    public var overdue: Bool

    public init(_ request: AllocationRequest, at now: Double) {
        self.request = request
        self.overdue = request.isOverdue(at: now)
    }

    private enum CodingKeys: String, CodingKey { case overdue }

    public init(from decoder: any Decoder) throws {
        request = try AllocationRequest(from: decoder)
        overdue = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Bool.self, forKey: .overdue) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        try request.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(overdue, forKey: .overdue)
    }
}

/// The answer to a submission: the request (with its estimate, feasibility and routing), the grant when
/// it was approved in the same call, the job started under it, and what happens next in one sentence.
public struct RequestReply: Codable, Sendable {
    public var request: RequestView
    public var grant: Grant?
    /// The job submitted under the grant (`job` in the submission).
    public var job: Job?
    /// Why the submitted `job` was not started (the request was routed, or the job was refused).
    public var jobProblem: String?
    /// "auto-approved: …", "routed to …, expected review by …", "rejected: …".
    public var message: String
}
