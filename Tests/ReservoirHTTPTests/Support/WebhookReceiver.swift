import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A webhook receiver on a loopback port: records each POST (its `Idempotency-Key`, and the notice's
/// topic and subject from the body) and answers the statuses it was given in turn, then 200. It outlives
/// server processes, so a crash test can count what reached it across restarts.
final class WebhookReceiver: @unchecked Sendable {
    /// One POST as received.
    struct Delivery: Hashable, Sendable {
        var key: String
        var topic: String
        var subject: String
        /// The notice's details (a JSON object, as text).
        var body: String
    }

    private let lock = NSLock()
    private var answers: [Int]
    private var seen: [Delivery] = []

    init(answers: [Int] = []) { self.answers = answers }

    /// The `Idempotency-Key` of each POST, in order.
    var received: [String] { deliveries.map(\.key) }
    var deliveries: [Delivery] { lock.withLock { seen } }

    private func answer(_ delivery: Delivery) -> Int {
        lock.withLock {
            seen.append(delivery)
            return answers.isEmpty ? 200 : answers.removeFirst()
        }
    }

    /// Runs `body` with the receiver's URL while it listens.
    func listen<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let notice = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            let delivery = Delivery(
                key: request.headers[HTTPField.Name("Idempotency-Key")!] ?? "", topic: notice["topic"] as? String ?? "",
                subject: notice["subject"] as? String ?? "", body: notice["body"] as? String ?? "")
            return Response(status: HTTPResponse.Status(code: answer(delivery)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: InProcessServer.quietLogger)
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(try #require(client.port))/hook") }
    }
}
