import Foundation
import ReservoirComposition
import ReservoirServices
import Testing

/// The configuration file: defaults for every key, the file over them, environment variables over the
/// file, flags over both; unknown keys and bad values are all named at once, with where they were set.
@Suite("Settings loader")
struct SettingsLoaderTests {
    /// Writes `text` to a temporary file and returns its path.
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-config-\(UUID().uuidString.prefix(8)).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func problems(_ sources: SettingsSources) -> [String] {
        do {
            _ = try SettingsLoader.load(sources)
            return []
        } catch {
            return error.problems
        }
    }

    @Test("no file: every key has its default")
    func defaults() throws {
        let loaded = try SettingsLoader.load(SettingsSources())
        #expect(loaded.settings.server.port == 8080)
        #expect(loaded.settings.scheduler.cycle.placementPolicy == "reservoir")
        #expect(loaded.settings.scheduler.cycleIntervalSeconds == 1)
        #expect(loaded.settings.scheduler.cycle.queuePolicy == .fairShare)
        #expect(loaded.settings.planning.policy.expansionThreshold == 0.7)
        #expect(loaded.description == nil)
    }

    @Test("the file sets keys; the environment wins over the file; a flag wins over both")
    func precedence() throws {
        let path = try Self.file("""
            server: {port: 9000}
            scheduler:
              placementPolicy: fgd
              queuePolicy: fifo
              cycleIntervalSeconds: 0.5
              preemption: {graceSeconds: 5}
            planning:
              offers:
                - {source: spot, provider: cloud-a, model: H100-80GB, gpus: 16, availableAfterHours: 2, pricePerGPUHour: 2.5}
            """)
        let fileOnly = try SettingsLoader.load(SettingsSources(file: path)).settings
        #expect(fileOnly.server.port == 9000)
        #expect(fileOnly.scheduler.cycle.placementPolicy == "fgd")
        #expect(fileOnly.scheduler.cycle.queuePolicy == .fifo)
        #expect(fileOnly.scheduler.cycleIntervalSeconds == 0.5)
        #expect(fileOnly.scheduler.cycle.preemption.graceSeconds == 5)
        #expect(fileOnly.scheduler.cycle.preemption.maxCandidates == 512, "a key the file leaves out keeps its default")
        #expect(fileOnly.planning.offers.first?.gpus == 16)

        let environment = ["RESERVOIR_SCHEDULER_PLACEMENT_POLICY": "bestfit", "RESERVOIR_SERVER_PORT": "9001",
                           "RESERVOIR_PLANNING_UTILIZATION_TARGETS": "[0.5, 0.9]", "RESERVOIR_SERVER": "http://elsewhere", "RESERVOIR_SERVER_HOST": "::"]
        let withEnvironment = try SettingsLoader.load(SettingsSources(file: path, environment: environment)).settings
        #expect(withEnvironment.scheduler.cycle.placementPolicy == "bestfit")
        #expect(withEnvironment.server.port == 9001)
        #expect(withEnvironment.server.host == "::", "a text key takes the variable's text as it is")
        #expect(withEnvironment.planning.utilizationTargets == [0.5, 0.9])
        #expect(withEnvironment.scheduler.cycle.queuePolicy == .fifo, "the file's other keys stay")

        let flags = [FlagOverride(key: "scheduler.placementPolicy", value: "dotprod", flag: "--policy"),
                     FlagOverride(key: "server.dataDir", value: "/tmp/a: b", flag: "--data-dir")]
        let withFlags = try SettingsLoader.load(SettingsSources(file: path, environment: environment, flags: flags)).settings
        #expect(withFlags.scheduler.cycle.placementPolicy == "dotprod")
        #expect(withFlags.server.dataDir == "/tmp/a: b")
        #expect(withFlags.server.port == 9001)
    }

    @Test("unknown keys are named with the key probably meant and the line; every one at once")
    func unknownKeys() throws {
        let path = try Self.file("""
            scheduler:
              placementPolicy: fgd
              placmentPolicy: fgd
              preemption: {graceSecond: 5}
            sever: {port: 1}
            """)
        let problems = Self.problems(SettingsSources(file: path))
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("scheduler.placmentPolicy: unknown key (did you mean 'placementPolicy'?)") && $0.contains("line 3") })
        #expect(problems.contains { $0.hasPrefix("scheduler.preemption.graceSecond: unknown key (did you mean 'graceSeconds'?)") })
        #expect(problems.contains { $0.hasPrefix("sever: unknown key (did you mean 'server'?)") && $0.contains("line 5") })
    }

    @Test("bad values name the key, the allowed range or values, and where they were set; all at once")
    func badValues() throws {
        let path = try Self.file("""
            server: {port: 70000}
            scheduler:
              placementPolicy: best
              cycleIntervalSeconds: 0
            planning:
              policy: {expansionThreshold: 0.95}
            engines:
              simulator: {failureRate: 2}
            """)
        let problems = Self.problems(SettingsSources(file: path, environment: ["RESERVOIR_SCHEDULER_BACKFILL_MAX_JOB_TEST": "-1"]))
        #expect(problems.count == 6, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("server.port: must be 0…65535, not 70000") && $0.contains("line 1") })
        #expect(problems.contains { $0.hasPrefix("scheduler.placementPolicy: 'best' is not valid; expected one of:") && $0.contains("fgd") })
        #expect(problems.contains { $0.hasPrefix("scheduler.cycleIntervalSeconds: must be 0.01…3600.0, not 0.0") })
        #expect(problems.contains { $0.hasPrefix("planning.policy.expansionThreshold: must be 0.6…0.8") })
        #expect(problems.contains { $0.hasPrefix("engines.simulator.failureRate: must be 0.0…1.0, not 2.0") })
        #expect(problems.contains { $0.hasPrefix("scheduler.backfill.maxJobTest: must be 0…1000000, not -1 (from RESERVOIR_SCHEDULER_BACKFILL_MAX_JOB_TEST)") })
    }

    @Test("a wrong type or enum value names the key and the valid values; a flag's bad value names the flag")
    func wrongTypes() throws {
        let enumProblem = Self.problems(SettingsSources(environment: ["RESERVOIR_SCHEDULER_QUEUE_POLICY": "fair"]))
        #expect(enumProblem.count == 1 && enumProblem[0].hasPrefix("scheduler.queuePolicy: invalid value: 'fair' is not valid; expected one of: fifo, priority, fair-share, capacity"), "\(enumProblem)")
        #expect(enumProblem.first?.contains("from RESERVOIR_SCHEDULER_QUEUE_POLICY") == true)
        let typeProblem = Self.problems(SettingsSources(flags: [FlagOverride(key: "server.port", value: "eighty", flag: "--port")]))
        #expect(typeProblem.count == 1 && typeProblem[0].hasPrefix("server.port:") && typeProblem[0].contains("from --port"), "\(typeProblem)")
    }

    @Test("health: the policy reaches the application; an unknown choice names the key and the valid ones")
    func healthPolicy() throws {
        #expect(try SettingsLoader.load(SettingsSources()).settings.applicationConfiguration.health == HealthPolicy(displacedWork: .requeue, recovery: .operator_))
        let loaded = try SettingsLoader.load(SettingsSources(environment: ["RESERVOIR_HEALTH_DISPLACED_WORK": "fail", "RESERVOIR_HEALTH_RECOVERY": "automatic"]))
        #expect(loaded.settings.applicationConfiguration.health == HealthPolicy(displacedWork: .fail, recovery: .automatic))
        let problems = Self.problems(SettingsSources(environment: ["RESERVOIR_HEALTH_RECOVERY": "later"]))
        #expect(problems.count == 1 && problems[0].hasPrefix("health.recovery: invalid value: 'later' is not valid; expected one of: operator, automatic"), "\(problems)")
    }

    @Test("an unknown RESERVOIR_<SECTION>_ variable is named with the one probably meant; other RESERVOIR_ variables are not settings")
    func unknownEnvironment() throws {
        let problems = Self.problems(SettingsSources(environment: [
            "RESERVOIR_SCHEDULER_PLACEMENT_POLCY": "fgd", "RESERVOIR_TOKEN": "x", "RESERVOIR_SLURM_ENV": "/tmp/env", "RESERVOIR_BOOTSTRAP_TOKEN": "y",
        ]))
        #expect(problems == ["RESERVOIR_SCHEDULER_PLACEMENT_POLCY: unknown setting (did you mean RESERVOIR_SCHEDULER_PLACEMENT_POLICY?)"])
    }

    @Test("a file of only regions (the --config of earlier versions) is a valid configuration; its description is checked")
    func clusterDescription() throws {
        let path = try Self.file("""
            regions:
              - id: r1
                clusters:
                  - id: c1
                    pools:
                      - id: p1
                        nodes: [{name: n, count: 2, model: A100-80GB, gpus: 8, cpu: 64, memoryGiB: 512}]
            """)
        let loaded = try SettingsLoader.load(SettingsSources(file: path))
        #expect(loaded.description?.pools == 1)
        #expect(loaded.description?.yaml.contains("A100-80GB") == true)
        let bad = try Self.file("regions: [{id: R1, clusters: []}]\nscheduler: {placementPolicy: nope}\n")
        let problems = Self.problems(SettingsSources(file: bad))
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("regions[0].id:") })
    }

    @Test("syntax errors and anchors are refused naming the file's line")
    func syntax() throws {
        let problems = Self.problems(SettingsSources(file: try Self.file("server:\n  port: [1\n")))
        #expect(problems.count == 1 && problems[0].hasPrefix("file: malformed YAML at line"), "\(problems)")
        let anchors = Self.problems(SettingsSources(file: try Self.file("server: &a {port: 1}\nplanning: *a\n")))
        #expect(anchors.count == 1 && anchors[0].contains("anchors"), "\(anchors)")
    }

    @Test("config show: every key with its value, secrets hidden")
    func show() throws {
        let path = try Self.file("""
            regions:
              - id: r1
                clusters:
                  - id: c1
                    engine: slurm
                    slurm: {url: "http://127.0.0.1:1", jwt: super-secret-token}
                    pools: [{id: p1, slurmNodes: [rn1]}]
            """)
        let yaml = try SettingsLoader.load(SettingsSources(file: path)).yaml()
        #expect(!yaml.contains("super-secret-token"))
        #expect(yaml.contains("jwt: <hidden>"))
        for key in SettingsKey.all {
            #expect(yaml.contains(key.path.last! + ":"), "config show lacks \(key.name)")
        }
    }
}

extension SettingsLoaderTests {
    @Test("notifications: the webhook from the file reaches the application and its channels; a bad URL or attempt count names the key")
    func notifications() throws {
        let path = try Self.file("""
            notifications:
              webhook: {url: "http://127.0.0.1:9/hook", maxAttempts: 3, backoffSeconds: 10}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try SettingsLoader.load(SettingsSources(file: path)).settings.applicationConfiguration.notifications
        #expect(configuration.webhook.url == "http://127.0.0.1:9/hook" && configuration.webhook.maxAttempts == 3)
        #expect(configuration.retryTime(after: 1, at: 100) == 110 && configuration.retryTime(after: 2, at: 100) == 120)
        #expect(configuration.retryTime(after: 3, at: 100) == nil)
        #expect(try SettingsLoader.load(SettingsSources()).settings.notifications.webhook.url.isEmpty)
        let problems = Self.problems(SettingsSources(environment: [
            "RESERVOIR_NOTIFICATIONS_WEBHOOK_URL": "hook.example.com", "RESERVOIR_NOTIFICATIONS_WEBHOOK_MAX_ATTEMPTS": "0",
        ]))
        #expect(problems.contains { $0.contains("notifications.webhook.url") }, "\(problems)")
        #expect(problems.contains { $0.contains("notifications.webhook.maxAttempts") }, "\(problems)")
    }
}
