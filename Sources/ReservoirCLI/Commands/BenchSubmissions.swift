import AsyncHTTPClient
import Foundation
import NIOCore

/// Closed-loop submitters shared by `bench submit` and `bench admit`: each of N clients sends its next
/// request when the previous one is answered, so both benchmarks offer load the same way.
enum BenchSubmissions {
    /// What the clients got back: each acknowledgement (201) with its latency and body, how many got any
    /// other answer or none, and the first such.
    struct Tally: Sendable {
        var acknowledged: [(latencyMs: Double, body: ByteBuffer)] = []
        var errors = 0
        var firstError: String?
        /// Wall seconds from the first request to the last answer.
        var seconds: Double = 0
    }

    /// Sends requests 0..<count with `clients` closed-loop clients; `request(i)` builds the i-th.
    static func run(
        count: Int, clients: Int, with client: HTTPClient, _ request: @escaping @Sendable (Int) -> HTTPClientRequest
    ) async throws -> Tally {
        let clock = ContinuousClock()
        let start = clock.now
        var tally = try await withThrowingTaskGroup(of: Tally.self) { group in
            for c in 0..<clients {
                group.addTask {
                    var mine = Tally()
                    for i in stride(from: c, to: count, by: clients) {
                        let t0 = clock.now
                        do {
                            let response = try await client.execute(request(i), timeout: .seconds(60))
                            let reply = try await response.body.collect(upTo: 1 << 20)
                            if response.status == .created {
                                mine.acknowledged.append((BenchFigures.milliseconds(t0.duration(to: clock.now)), reply))
                            } else {
                                mine.errors += 1
                                mine.firstError = mine.firstError ?? "\(response.status.code) \(String(buffer: reply).prefix(300))"
                            }
                        } catch {
                            mine.errors += 1
                            mine.firstError = mine.firstError ?? "\(error)"
                        }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: Tally()) { all, one in
                all.acknowledged += one.acknowledged
                all.errors += one.errors
                all.firstError = all.firstError ?? one.firstError
            }
        }
        tally.seconds = BenchFigures.milliseconds(start.duration(to: clock.now)) / 1000
        return tally
    }
}
