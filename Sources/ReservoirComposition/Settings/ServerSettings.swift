import Logging
import ReservoirCore

/// Where the server listens and keeps its state (`server:`).
public struct ServerSettings: Codable, Sendable, SettingsGroup {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port to listen on; 0 picks a free one.
    public var port = 8080
    /// Directory of the SQLite database (`reservoir.sqlite`); restarting on it keeps all state.
    public var dataDir = "reservoir-data"
    /// Seed a demo reservoir (2 regions, 60 nodes, 4 tenants) and a gentle stream of sample jobs.
    public var demo = false
    /// Lowest level of the JSON log lines on stderr.
    public var logLevel = Logger.Level.info
    /// Seconds added to the wall clock everywhere the server reads the time (leases, notices, expiry,
    /// the scheduler, the simulator). For tests and demos only: a restart with a later offset makes a
    /// real server process live days ahead (a lease's notices and its expiry) without waiting for them.
    public var clockOffsetSeconds = 0.0

    public init() {}

    /// Ten years either way: far enough for any lease, near enough that dates stay sane.
    static let maxClockOffset = 10 * 366 * 86_400.0

    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.notEmpty(host, "\(path).host"),
            Rule.within(port, 0...65_535, "\(path).port"),
            Rule.notEmpty(dataDir, "\(path).dataDir"),
            Rule.within(clockOffsetSeconds, -Self.maxClockOffset...Self.maxClockOffset, "\(path).clockOffsetSeconds"),
        ].compactMap { $0 }
    }
}
