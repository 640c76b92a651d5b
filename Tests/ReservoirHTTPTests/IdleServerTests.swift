import Foundation
import Testing

/// An idle `reservoir serve` (the real binary, its own metrics registry) runs about one scheduling
/// cycle per `cycleInterval` (1 s), not a spin: it once ran ~100 a second and burned two cores.
@Suite("Idle server")
struct IdleServerTests {
    /// The cycle count from the Prometheus text (`reservoir_scheduling_cycle_seconds_count`, summed).
    static func cycles(_ api: API) async throws -> Double {
        let text = try await api.get("/metrics", token: nil).text
        return text.split(separator: "\n").filter { $0.hasPrefix("reservoir_scheduling_cycle_seconds_count") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    @Test("an idle server runs about one scheduling cycle a second")
    func idleCycles() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-idle")
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = try #require(Executable.reservoir, "build the reservoir executable first (swift build)")
        let child = try Child(
            binary, ["serve", "--port", "0", "--data-dir", dir.appendingPathComponent("data").path, "--log-level", "warning"],
            environment: ["RESERVOIR_BOOTSTRAP_TOKEN": Fixture.operatorToken], directory: dir)
        defer { child.kill9() }
        let url = try #require(await child.waitForLine(containing: "Reservoir is running at ", timeout: 60), "server did not start")
        let api = API(port: try #require(URLComponents(string: url)?.port))
        _ = try await Fixture.setUp(api)
        try await Task.sleep(nanoseconds: 1_500_000_000)
        let before = try await Self.cycles(api)
        let start = Date()
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let after = try await Self.cycles(api)
        let perSecond = (after - before) / Date().timeIntervalSince(start)
        print("idle server: \(after - before) cycles in \(Date().timeIntervalSince(start)) s")
        #expect(perSecond >= 0.5 && perSecond <= 2, "cycles per second while idle: \(perSecond)")
    }
}
