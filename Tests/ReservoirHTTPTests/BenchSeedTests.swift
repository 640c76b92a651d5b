import Foundation
import ReservoirCore
import ReservoirStore
import Testing

/// `reservoir bench seed` with tiny numbers: the directory it fills holds the jobs it reports (mostly
/// ended, 1 % queued), a server starts on it and its start-up figures are read; a directory that
/// already holds a database is refused. No figure is asserted against a speed (CI has two shared cores).
@Suite("bench seed")
struct BenchSeedTests {
    @Test("--jobs 300 --measure-start --json: 300 jobs by state in the database, 3 queued, the server's start (ready, first cycle, RSS) read")
    func seedsAndStarts() async throws {
        let binary = try #require(Executable.reservoir, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-bench-seed-test")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path
        let child = try Child(binary, ["bench", "seed", "--data-dir", data, "--jobs", "300", "--measure-start", "--settle", "0.5", "--json"], directory: dir)
        #expect(await child.wait(timeout: 180) == 0, "\(child.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(child.stdout.utf8)) as? [String: Any], "\(child.stdout)")
        let byState = try #require(report["by_state"] as? [String: Int])
        #expect(report["jobs"] as? Int == 300 && byState.values.reduce(0, +) == 300)
        #expect(byState["queued"] == 3, "1 % waits by default: \(byState)")
        #expect((byState["succeeded"] ?? 0) > (byState["failed"] ?? 0) + (byState["cancelled"] ?? 0), "mostly succeeded: \(byState)")
        let start = try #require(report["start"] as? [String: Any])
        let ready = try #require(start["ready_seconds"] as? Double), firstCycle = try #require(start["first_cycle_seconds"] as? Double)
        #expect(ready > 0 && firstCycle >= ready, "\(start)")
        let rssReady = try #require(start["rss_ready_mib"] as? Double), peak = try #require(start["rss_peak_mib"] as? Double)
        #expect(rssReady > 0 && peak >= rssReady && (start["rss_settled_mib"] as? Double ?? 0) > 0, "\(start)")

        let store = try SQLiteStore(path: (data as NSString).appendingPathComponent("reservoir.sqlite"))
        #expect(try store.countJobs(tenant: nil, states: nil, since: nil) == 300)
        #expect(try store.countJobs(tenant: nil, states: [.succeeded], since: nil) == byState["succeeded"])
        #expect(try store.tenants().map(\.id).contains("seed-a"))

        let again = try Child(binary, ["bench", "seed", "--data-dir", data, "--jobs", "10"], directory: dir)
        #expect(await again.wait(timeout: 60) != 0)
        #expect(again.stderr.contains("already holds a database"), "\(again.stderr)")
    }
}
