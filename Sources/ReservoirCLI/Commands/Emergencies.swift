import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices
import Yams

/// `reservoir emergency open|list`: the green channel (SPEC §5.6).
struct EmergencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergency", abstract: "The emergency green channel: open it for an incident (emergency approvers), list every use.",
        subcommands: [Open.self, List.self], defaultSubcommand: List.self)

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open the green channel with a request form naming `emergency` (see examples/request-emergency.yaml).",
            discussion: "Approved in the same call as a P0 grant on the dynamic reserve that preempts lower classes; the team then runs its work under it: reservoir submit job.yaml --grant GRANT.")
        @OptionGroup var client: ClientOptions
        @Option(name: [.short, .long], help: "The request form (.yaml or .json) with its emergency category, incident and description.") var file: String
        @Option(help: "A key of your choosing: retrying with the same key returns the request already created.") var idempotencyKey: String?

        func run() async throws {
            let form = try Self.mapping(file)
            let body = try JSONSerialization.data(withJSONObject: form, options: [.sortedKeys])
            let reply = try await client.client.send(
                .POST, "/v1/emergencies", body: body, contentType: "application/json", headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
            guard let answer = try Output.value(of: reply, json: client.json, as: RequestReply.self) else { return }
            SubmitRequest.report(answer)
        }

        /// A YAML or JSON file as a mapping (YAML is a superset of JSON, so one parser reads either).
        static func mapping(_ path: String) throws -> [String: Any] {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw ValidationError("cannot read \(path): \(error.localizedDescription)") }
            guard let mapping = try Yams.load(yaml: text) as? [String: Any] else { throw ValidationError("\(path) is not a mapping") }
            return mapping
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every use of the green channel, newest first, with what it preempted.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only grants of this tenant (members: their own).") var tenant: String?
        @Option(help: "Only grants in this state: \(GrantState.allCases.map(\.rawValue).joined(separator: ", ")).") var state: String?
        @Option(help: "At most this many.") var limit = 100

        func run() async throws {
            var query: [String] = []
            if let tenant { query.append("tenant=\(tenant)") }
            if let state { query.append("state=\(state)") }
            try Output.rows(try await client.client.list("/v1/emergencies?" + query.joined(separator: "&"), limit: limit), json: client.json, columns: GrantColumns.list)
        }
    }
}
