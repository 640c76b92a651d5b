import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices
import Yams

enum JobColumns {
    static var list: [Column<Job>] {
        [
            Column("job", \.id), Column("name", \.name), Column("tenant", \.tenant), Column("pool", \.pool), Column("class", \.priority),
            Column("state", \.state), Column("replicas", \.replicas), Column("gpus", \.request.gpus), Column("milli", \.request.gpuMilli),
            Column("reason", \.reason?.kind),
        ]
    }
}

struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a job described in a YAML (or JSON) file.",
        discussion: """
            A command after `--` replaces the file's command or script: reservoir submit job.yaml -- python train.py --epochs 3
            With --grant the job runs under a grant: in its pool (when the file names none), model and class, inside its window.
            """)
    @OptionGroup var client: ClientOptions
    @Argument(help: "The job file.") var file: String
    @Option(help: "A key of your choosing: retrying with the same key returns the job already created instead of a second one.")
    var idempotencyKey: String?
    @Option(help: "Run under this grant (see `reservoir grant list`), replacing the file's grant.") var grant: String?
    @Option(help: "Charge the job's usage to this project of the tenant, replacing the file's project.") var project: String?
    @Argument(parsing: .postTerminator, help: "The command to run (after --), replacing the file's.") var command: [String] = []
    func run() async throws {
        var body = try Data(contentsOf: URL(fileURLWithPath: file))
        var isJSON = file.hasSuffix(".json")
        if !command.isEmpty || grant != nil || project != nil {
            // YAML is a superset of JSON, so one parser reads either; the server sees plain JSON.
            guard var job = try Yams.load(yaml: String(decoding: body, as: UTF8.self)) as? [String: Any] else {
                throw ValidationError("\(file) does not describe a job (a mapping)")
            }
            if !command.isEmpty {
                job["command"] = command
                job["script"] = nil
            }
            if let grant { job["grant"] = grant }
            if let project { job["project"] = project }
            body = try JSONSerialization.data(withJSONObject: job)
            isJSON = true
        }
        let reply = try await client.client.send(
            .POST, "/v1/jobs", body: body, contentType: isJSON ? "application/json" : "application/yaml",
            headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
        try Output.row(reply, json: client.json, columns: JobColumns.list)
    }
}

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List jobs, newest first, or cancel many at once.", subcommands: [List.self, Cancel.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only jobs in this state.") var state: String?
        @Option(help: "Only jobs submitted since then: \(TimeArgument.help).") var since: TimeArgument?
        @Option(help: "At most this many jobs.") var limit = 100
        @Flag(help: "All jobs, page after page.") var all = false

        func run() async throws {
            var query: [String] = []
            if let state { query.append("state=\(state)") }
            if let since { query.append("since=\(since.unixSeconds())") }
            let reply = try await client.client.list("/v1/jobs?" + query.joined(separator: "&"), limit: all ? nil : limit)
            guard let jobs = try Output.value(of: reply, json: client.json, as: [Job].self) else { return }
            print(Output.table(jobs, columns: JobColumns.list))
            guard let total = reply.headers.first(name: "X-Total-Count").flatMap(Int.init) else { return }
            if let note = Self.truncationNote(shown: jobs.count, total: total) { print(note) }
        }

        /// `100 of 139 shown; --limit N or --all for more`, or nil when nothing was left out.
        static func truncationNote(shown: Int, total: Int) -> String? {
            total > shown ? "\(shown) of \(total) shown; --limit N or --all for more" : nil
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel every unfinished job matching the filter (at least one of --tenant, --state, --pool).")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only this tenant's jobs (members: their own tenant).") var tenant: String?
        @Option(help: "Only jobs in this state: queued, admitted, running or preempted.") var state: String?
        @Option(help: "Only jobs in this pool.") var pool: String?
        func run() async throws {
            let filter = [("tenant", tenant), ("state", state), ("pool", pool)].compactMap { k, v in v.map { (k, $0 as Any) } }
            let reply = try await client.client.json(.POST, "/v1/jobs/cancel", Dictionary(uniqueKeysWithValues: filter))
            guard let ids = try Output.value(of: reply, json: client.json, as: CancelledJobs.self)?.cancelled else { return }
            print("cancelled \(ids.count) jobs" + (ids.isEmpty ? "" : ": " + ids.joined(separator: " ")))
        }
    }
}

struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Show, explain, cancel or re-prioritise one job, or read its output.",
        subcommands: [Show.self, Explain.self, Cancel.self, Events.self, Logs.self, Priority.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a job.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws {
            try Output.row(try await client.client.get("/v1/jobs/\(id)"), json: client.json, columns: JobColumns.list + [
                Column("exit", \.exitCode), Column("message", \.reason?.message),
            ])
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Why a job waits, or why it runs where it runs.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws {
            let reply = try await client.client.get("/v1/jobs/\(id)/explain")
            guard let why = try Output.value(of: reply, json: client.json, as: Explanation.self) else { return }
            print("\(why.job) [\(why.state.rawValue)] \(why.kind): \(why.message)")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws { try Output.row(try await client.client.send(.POST, "/v1/jobs/\(id)/cancel"), json: client.json, columns: JobColumns.list) }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job's history.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws {
            try Output.rows(try await client.client.list("/v1/jobs/\(id)/events"), json: client.json, columns: [
                Column<JobEvent>.time("at", \.at), Column("event", \.kind), Column("message", \.message),
            ])
        }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a job's output (stdout and stderr).")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        @Flag(name: .shortAndLong, help: "Keep printing new output until the job ends.") var follow = false
        @Option(help: "Seconds between polls while following.") var interval = 1.0

        func run() async throws {
            var offset = 0
            while true {
                let reply = try await client.client.get("/v1/jobs/\(id)/logs?offset=\(offset)")
                let chunk = try reply.decode(JobLogs.self)
                if client.json { print(reply.text) } else { FileHandle.standardOutput.write(Data(chunk.text.utf8)) }
                let advanced = chunk.nextOffset > offset
                offset = chunk.nextOffset
                if chunk.complete || (!follow && offset >= chunk.size) { return }
                if !advanced { try await Task.sleep(for: .seconds(max(0.1, interval))) }
            }
        }
    }

    struct Priority: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a job's priority class (P0–P3).")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        @Argument var priority: String
        func run() async throws { try Output.row(try await client.client.json(.PATCH, "/v1/jobs/\(id)", ["priority": priority]), json: client.json, columns: JobColumns.list) }
    }
}
