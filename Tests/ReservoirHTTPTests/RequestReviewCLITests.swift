import Foundation
import ReservoirCore
import ReservoirStore
import ReservoirTestSupport
import Testing

/// `reservoir request inbox|approve|reject` against a live server: the approver's inbox, an approval
/// with changed terms printing the grant, a rejection, and refusals as one line naming the field.
@Suite("Request review CLI against a live server")
struct RequestReviewCLITests {
    @Test("request inbox, approve --gpus --days, reject, and the refusals")
    func reviewCommands() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let clock = ManualClock(RequestReviewFlowTests.friday)
        let reservoir = RequestReviewFlowTests.reservoir(store: try SQLiteStore(path: nil), clock: clock)
        let dir = try Executable.temporaryDirectory("reservoir-review-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await RequestReviewFlowTests.people(api)
            func cli(_ arguments: [String], as user: String = "mgr") async throws -> (status: Int32?, stdout: String, stderr: String) {
                try await runCLI(arguments, server: api.base, token: t[user]!, directory: dir)
            }
            func submit() async throws -> String {
                let reply = try await RequestReviewFlowTests.submit(api, t["alice"]!, RequestReviewFlowTests.form(gpus: 16, hours: 160))
                return try #require((reply["request"] as? [String: Any])?["id"] as? String)
            }
            let first = try await submit()
            let second = try await submit()

            let inbox = try await cli(["request", "inbox"])
            #expect(inbox.status == 0 && inbox.stdout.contains(first) && inbox.stdout.contains(second), "\(inbox.stdout)\(inbox.stderr)")
            let empty = try await cli(["request", "inbox"], as: "hq")
            #expect(empty.status == 0 && !empty.stdout.contains(first), "\(empty.stdout)")

            let approved = try await cli(["request", "approve", first, "--reason", "8 are free this week", "--gpus", "8", "--days", "5"])
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(approved.stdout.contains("\(first): granted"), "\(approved.stdout)")
            #expect(approved.stdout.contains("grant: grant-") && approved.stdout.contains("8 × A100-80GB on pool p1"), "\(approved.stdout)")
            #expect(approved.stdout.contains("account alpha"), "\(approved.stdout)")

            let noReason = try await cli(["request", "reject", second, "--reason", " "])
            #expect(noReason.status != 0 && noReason.stderr.contains("reason"), "\(noReason.stderr)")
            let bigger = try await cli(["request", "approve", second, "--reason", "more", "--gpus", "64"])
            #expect(bigger.status != 0 && bigger.stderr.contains("changes.gpus"), "\(bigger.stderr)")
            let notYours = try await cli(["request", "reject", second, "--reason", "no"], as: "mgrb")
            #expect(notYours.status != 0 && notYours.stderr.contains("no request \(second)"), "\(notYours.stderr)")

            let rejected = try await cli(["request", "reject", second, "--reason", "no budget this quarter"])
            #expect(rejected.status == 0 && rejected.stdout.contains("\(second): rejected") && rejected.stdout.contains("no budget this quarter"), "\(rejected.stdout)")
            let again = try await cli(["request", "approve", second, "--reason", "after all"])
            #expect(again.status != 0 && again.stderr.contains("decided already"), "\(again.stderr)")
            // The show of a request past its deadline says so, and where it went.
            let third = try await submit()
            clock.advance(4 * 86_400)
            _ = try reservoir.requests.escalateOverdue()
            let shown = try await cli(["request", "show", third], as: "alice")
            #expect(shown.status == 0 && shown.stdout.contains("escalated from manager"), "\(shown.stdout)\(shown.stderr)")
            let hqInbox = try await cli(["request", "inbox"], as: "hq")
            #expect(hqInbox.status == 0 && hqInbox.stdout.contains(third), "\(hqInbox.stdout)")
            let after = try await cli(["request", "inbox"])
            #expect(after.status == 0 && !after.stdout.contains(first) && !after.stdout.contains(second), "\(after.stdout)")
        }
    }
}
