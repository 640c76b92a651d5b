import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir request …`: resource requests (SPEC §5) — submit the intake form (a file, or guided
/// prompts), list, show, withdraw.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Ask for capacity: submit a resource request, follow it, withdraw it.",
        subcommands: [SubmitRequest.self, CheckRequest.self, ListRequests.self, ShowRequest.self, WithdrawRequest.self, RequestInbox.self, ApproveRequest.self, RejectRequest.self])
}

struct SubmitRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a request form (YAML or JSON, see examples/request-*.yaml), or fill it in with --guided.",
        discussion: "The answer says, in the same call, either that the request was approved and its grant (and the job in the form, if any, started under it), or who reviews it by when; with the estimate and the feasibility.")
    @OptionGroup var client: ClientOptions
    @Option(name: [.short, .long], help: "The request form (.yaml or .json).") var file: String?
    @Flag(help: "Ask for each field on the terminal (a bad answer is asked again).") var guided = false
    @Option(help: "A key of your choosing: retrying with the same key returns the request already created.") var idempotencyKey: String?

    func validate() throws {
        guard (file == nil) != !guided else { throw ValidationError("give either -f FILE or --guided") }
    }

    func run() async throws {
        let api = client.client
        let body: Data
        var contentType = "application/json"
        if let file {
            do { body = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw ValidationError("cannot read \(file): \(error.localizedDescription)") }
            if !file.hasSuffix(".json") { contentType = "application/yaml" }
        } else {
            let catalog = try await api.get("/v1/catalog").decode([GPUModel].self).map(\.name)
            let prompts = GuidedForm(catalog: catalog, input: { readLine(strippingNewline: true) }, output: { print($0, terminator: "") })
            body = try JSONSerialization.data(withJSONObject: try prompts.fill(), options: [.sortedKeys])
        }
        let reply = try await api.send(.POST, "/v1/requests", body: body, contentType: contentType, headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
        guard let answer = try Output.value(of: reply, json: client.json, as: RequestReply.self) else { return }
        Self.report(answer)
    }

    /// The answer to a submission (here or on the green channel): state, outcome, details, the job started.
    static func report(_ answer: RequestReply) {
        print("request \(answer.request.request.id): \(answer.request.request.state.rawValue)")
        print(answer.message)
        RequestText.details(answer.request.request, grant: answer.grant)
        if let job = answer.job { print("job: \(job.id) (\(job.state.rawValue)) under \(job.grant?.rawValue ?? "-")") }
        if let problem = answer.jobProblem { print("job: \(problem)") }
    }
}

struct ListRequests: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List requests, newest first (yours, your tenant's; operators: all).")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only requests in this state (\(RequestState.allCases.map(\.rawValue).joined(separator: ", "))).") var state: String?
    @Option(help: "Only requests of this tenant.") var tenant: String?
    @Option(help: "At most this many requests.") var limit = 100

    func run() async throws {
        var query: [String] = []
        if let state { query.append("state=\(state)") }
        if let tenant { query.append("tenant=\(tenant)") }
        try Output.rows(try await client.client.list("/v1/requests?" + query.joined(separator: "&"), limit: limit), json: client.json, columns: RequestText.columns)
    }
}

struct ShowRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a request: form summary, estimate, feasibility, routing, reviews, grant, history.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The request id (req-…).") var id: String

    func run() async throws {
        guard let view = try Output.value(of: try await client.client.get("/v1/requests/\(id)"), json: client.json, as: RequestView.self) else { return }
        // The grant's current state, where the server lists grants; the request alone otherwise.
        var grant: Grant?
        if let id = view.request.grant { grant = try? await client.client.get("/v1/grants/\(id)").decode(GrantView.self).grant }
        RequestText.show(view, grant: grant)
    }
}

struct WithdrawRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Withdraw an undecided request of your tenant.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The request id (req-…).") var id: String
    @Option(help: "Why, for the request's history.") var reason: String?

    func run() async throws {
        let query = reason.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) }.map { "?reason=\($0)" } ?? ""
        guard let view = try Output.value(of: try await client.client.send(.POST, "/v1/requests/\(id)/withdraw\(query)"), json: client.json, as: RequestView.self)
        else { return }
        print("request \(view.request.id): \(view.request.state.rawValue)")
    }
}

/// How requests read on a terminal.
enum RequestText {
    static var columns: [Column<RequestView>] { [
        Column("id") { $0.request.id.rawValue }, Column("state") { $0.request.state.rawValue }, Column("tenant") { $0.request.tenant.rawValue },
        Column("applicant") { $0.request.applicant.rawValue }, Column("category") { $0.request.form.category?.rawValue ?? "-" },
        Column("gpus") { String($0.request.asked.gpus) }, Column("model") { $0.request.asked.model ?? "any" },
        Column("days") { $0.request.asked.durationHours.map { Cell.number($0 / 24) } ?? "-" }, .time("submitted", \.request.submittedAt),
        Column("routed_to") { $0.request.routing.map { "\($0.tier.rawValue): \($0.reviewers.map(\.rawValue).joined(separator: ","))" } ?? "-" },
        Column("due") { $0.request.state.awaitsDecision ? Cell.time($0.request.routing?.dueAt) : "-" }, Column("overdue") { $0.overdue ? "OVERDUE" : "" },
        Column("grant") { $0.request.grant?.rawValue ?? "-" },
    ] }

    /// Estimate, feasibility and grant of a request, one line each.
    static func details(_ request: AllocationRequest, grant: Grant?) {
        print("asked: \(terms(request.asked))")
        if let e = request.estimate {
            print("estimate: \(e.summary)\(e.calibrationError.map { " (calibration error \(Cell.number($0 * 100)) %)" } ?? "")")
        } else {
            print("estimate: none (the form gives too little to estimate)")
        }
        if let f = request.feasibility { print("feasibility: \(f.verdict.rawValue): \(f.message)") }
        if let grant {
            let window = "\(Cell.time(grant.startsAt)) – \(grant.endsAt.map(Cell.time) ?? "no fixed term")"
            print("grant: \(grant.id) \(grant.state.rawValue), \(grant.gpuMilli / 1_000) × \(grant.model ?? "any GPU") on pool \(grant.pool), class \(grant.priority.rawValue), \(window)")
            print("access: \(grant.access.engine) account \(grant.access.account), partition \(grant.access.partition), qos \(grant.access.qos), queue \(grant.access.queue)")
            print("  \(grant.access.instructions)")
        }
    }

    static func show(_ view: RequestView, grant: Grant?) {
        let r = view.request
        print("request \(r.id): \(r.state.rawValue)\(view.overdue ? " (OVERDUE)" : "")")
        print("tenant \(r.tenant), applicant \(r.applicant), submitted \(Cell.time(r.submittedAt))")
        let f = r.form
        print("form: \(f.kind?.rawValue ?? "-") / \(f.category?.rawValue ?? "-"), project \(f.project ?? "-") (\(f.department ?? "-")), contact \(f.contact ?? "-")")
        if let emergency = f.emergency { print("emergency: \(emergency.category ?? "-") \(emergency.incident ?? ""): \(emergency.description ?? "")") }
        details(r, grant: grant)
        if let routing = r.routing {
            print("routing: \(routing.tier.rawValue) → \(routing.reviewers.map(\.rawValue).joined(separator: ", ")), due \(Cell.time(routing.dueAt)), \(routing.requiredApprovals) approval(s): \(routing.reason)")
            if let at = routing.escalatedAt {
                print(routing.escalatedFrom.map { "escalated from \($0.rawValue) at \(Cell.time(at))" } ?? "overdue since \(Cell.time(at)): no higher tier to escalate to")
            }
        }
        if let approved = r.approved { print("approved: \(terms(approved))") }
        for review in r.reviews {
            print("review: \(review.reviewer) \(review.verdict.rawValue) at \(Cell.time(review.at)): \(review.reason)\(review.changes.map { " → \(terms($0))" } ?? "")")
        }
        print("history:")
        for step in r.history { print("  \(Cell.time(step.at)) \(step.from.rawValue) → \(step.to.rawValue) by \(step.actor): \(step.reason)") }
    }

    static func terms(_ t: AllocationTerms) -> String {
        "\(t.gpus) × \(t.model ?? "any GPU") on \(t.pool.map { "pool \($0)" } ?? "any pool"), \(t.durationHours.map { "\(Cell.number($0)) h" } ?? "no fixed term")"
    }
}
