import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir request inbox|approve|reject`: the reviewer's side of resource requests.
struct RequestInbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "The requests routed to you for review, newest first, with their deadlines (OVERDUE when past).")
    @OptionGroup var client: ClientOptions
    @Option(help: "At most this many requests.") var limit = 100

    func run() async throws {
        try Output.rows(try await client.client.list("/v1/requests?routedTo=me", limit: limit), json: client.json, columns: RequestText.columns)
    }
}

struct ApproveRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a request routed to you, as asked or with changed terms (fewer GPUs, another model or pool, fewer days).",
        discussion: "reservoir request approve req-000042 --reason \"8 are free this week\" --gpus 8 --days 5")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The request id (req-…).") var id: String
    @Option(help: "Why (kept in the request's history, told to the applicant).") var reason: String
    @Option(help: "Grant fewer GPUs than asked.") var gpus: Int?
    @Option(help: "Grant another catalog GPU model.") var model: String?
    @Option(help: "Grant a shorter window, in days.") var days: Double?
    @Option(help: "Grant on another pool (that has the model).") var pool: String?

    func run() async throws {
        var changes: [String: Any] = [:]
        if let gpus { changes["gpus"] = gpus }
        if let model { changes["model"] = model }
        if let days { changes["durationHours"] = days * 24 }
        if let pool { changes["pool"] = pool }
        var body: [String: Any] = ["verdict": changes.isEmpty ? ReviewVerdict.approve.rawValue : ReviewVerdict.approveWithChanges.rawValue, "reason": reason]
        if !changes.isEmpty { body["changes"] = changes }
        try await RequestReviewText.send(body, id: id, client: client)
    }
}

struct RejectRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a request routed to you, with a reason.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The request id (req-…).") var id: String
    @Option(help: "Why (kept in the request's history, told to the applicant).") var reason: String

    func run() async throws {
        try await RequestReviewText.send(["verdict": ReviewVerdict.reject.rawValue, "reason": reason], id: id, client: client)
    }
}

enum RequestReviewText {
    /// Posts the review and prints the outcome: the state, what happens next, and the grant when one was made.
    static func send(_ body: [String: Any], id: String, client: ClientOptions) async throws {
        let reply = try await client.client.json(.POST, "/v1/requests/\(id)/reviews", body)
        guard let answer = try Output.value(of: reply, json: client.json, as: RequestReply.self) else { return }
        print("request \(answer.request.request.id): \(answer.request.request.state.rawValue)")
        print(answer.message)
        if let grant = answer.grant { RequestText.details(answer.request.request, grant: grant) }
    }
}
