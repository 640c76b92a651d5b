import ArgumentParser
import Foundation

struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, create, disable, enable or delete tenants.",
        subcommands: [List.self, Create.self, Disable.self, Enable.self, Delete.self], defaultSubcommand: List.self)
    static let columns: [Output.Column] = [("tenant", "id"), ("name", "name"), ("weight", "weight"), ("disabled", "disabled")]

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tenants.")
        @OptionGroup var client: ClientOptions
        func run() async throws {
            try Output.print(try await client.client.list("/v1/tenants").data, json: client.json, columns: Tenants.columns)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a tenant.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        @Option(help: "Fair-share weight.") var weight: Double = 1
        func run() async throws {
            try Output.print(try await client.client.json(.POST, "/v1/tenants", ["id": id, "weight": weight]), json: client.json, columns: [("tenant", "id"), ("weight", "weight")])
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a tenant: it takes no new jobs; running work finishes.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws { try await Retirement.setDisabled(true, "/v1/tenants/\(id)", client: client, columns: Tenants.columns) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled tenant again.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws { try await Retirement.setDisabled(false, "/v1/tenants/\(id)", client: client, columns: Tenants.columns) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a tenant with its users and quotas (refused while it has unfinished jobs or history).")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws { try await Retirement.delete("/v1/tenants/\(id)", client: client) }
    }
}

/// Disable, enable and delete, shared by tenants and users.
enum Retirement {
    static func setDisabled(_ disabled: Bool, _ path: String, client: ClientOptions, columns: [Output.Column]) async throws {
        try Output.print(try await client.client.json(.PATCH, path, ["disabled": disabled]), json: client.json, columns: columns)
    }

    static func delete(_ path: String, client: ClientOptions) async throws {
        _ = try await client.client.send(.DELETE, path)
        print("deleted \(path.split(separator: "/").dropFirst().joined(separator: "/"))")
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, create, disable, enable or delete users.",
        subcommands: [List.self, Create.self, Disable.self, Enable.self, Delete.self], defaultSubcommand: List.self)
    static let columns: [Output.Column] = [("user", "id"), ("tenant", "tenant"), ("roles", "roles"), ("disabled", "disabled")]

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var client: ClientOptions
        func run() async throws {
            try Output.print(try await client.client.list("/v1/users").data, json: client.json, columns: Users.columns)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        @Option(help: "The user's tenant (required for members).") var tenant: String?
        @Option(parsing: .upToNextOption, help: "Roles: operator, member, approver, emergency-approver, finance.") var role: [String] = ["member"]
        func run() async throws {
            var body: [String: Any] = ["id": id, "roles": role]
            if let tenant { body["tenant"] = tenant }
            try Output.print(try await client.client.json(.POST, "/v1/users", body), json: client.json, columns: [("user", "id"), ("tenant", "tenant"), ("roles", "roles")])
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: its tokens stop working at once.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws { try await Retirement.setDisabled(true, "/v1/users/\(id)", client: client, columns: Users.columns) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws { try await Retirement.setDisabled(false, "/v1/users/\(id)", client: client, columns: Users.columns) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user and its tokens (refused while its jobs are unfinished).")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws { try await Retirement.delete("/v1/users/\(id)", client: client) }
    }
}

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List, create or revoke tokens.", subcommands: [List.self, Create.self, Revoke.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens.")
        @OptionGroup var client: ClientOptions
        func run() async throws {
            try Output.print(try await client.client.list("/v1/tokens").data, json: client.json, columns: [
                ("token", "id"), ("user", "user"), ("created", "createdAt"), ("expires", "expiresAt"), ("last_used", "lastUsedAt"), ("revoked", "revoked"),
            ])
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Issue a token; the secret is printed once.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The user the token is for.") var user: String
        @Option(help: "Expire the token after this long, e.g. 12h, 30d, 2w (default: never).") var expiresIn: DurationArgument?
        func run() async throws {
            var body: [String: Any] = ["user": user]
            if let expiresIn { body["expiresAt"] = Date().timeIntervalSince1970 + expiresIn.seconds }
            try Output.print(try await client.client.json(.POST, "/v1/tokens", body), json: client.json, columns: [
                ("token", "id"), ("user", "user"), ("expires", "expiresAt"), ("secret", "token"),
            ])
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        func run() async throws {
            _ = try await client.client.send(.DELETE, "/v1/tokens/\(id)")
            print("revoked \(id)")
        }
    }
}

struct QuotaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota", abstract: "List, set or delete quotas.", subcommands: [List.self, Set.self, Delete.self], defaultSubcommand: List.self)
    static let columns: [Output.Column] = [
        ("tenant", "tenant"), ("pool", "pool"), ("model", "model"), ("used", "used"), ("guaranteed", "guaranteed"), ("limit", "limit"),
    ]

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List quotas.")
        @OptionGroup var client: ClientOptions
        func run() async throws { try Output.print(try await client.client.list("/v1/quotas").data, json: client.json, columns: QuotaCommand.columns) }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a tenant's GPU quota in a pool.")
        @OptionGroup var client: ClientOptions
        @Option var tenant: String
        @Option var pool: String
        @Option(help: "Device model, or * for any.") var model = "*"
        @Option(help: "Guaranteed GPUs.") var guaranteed: Double
        @Option(help: "Limit in GPUs, including borrowing.") var limit: Double
        func run() async throws {
            let body: [String: Any] = ["tenant": tenant, "pool": pool, "model": model, "guaranteed": guaranteed, "limit": limit]
            try Output.print(try await client.client.json(.PUT, "/v1/quotas", body), json: client.json, columns: QuotaCommand.columns.filter { $0.path != "used" })
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a tenant's quota in a pool (refused while the tenant has unfinished jobs there).")
        @OptionGroup var client: ClientOptions
        @Option var tenant: String
        @Option var pool: String
        @Option(help: "Device model, or * for any.") var model = "*"
        func run() async throws {
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "tenant", value: tenant), URLQueryItem(name: "pool", value: pool), URLQueryItem(name: "model", value: model)]
            _ = try await client.client.send(.DELETE, "/v1/quotas?" + (query.percentEncodedQuery ?? ""))
            print("deleted quota of \(tenant) in \(pool) for \(model)")
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the audit log, newest first.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only entries about this object, e.g. jobs/job-000001.") var object: String?
    @Option(help: "Only entries since then: \(TimeArgument.help).") var since: TimeArgument?
    @Option(help: "At most this many entries.") var limit = 50
    func run() async throws {
        var query: [String] = []
        if let object { query.append("object=\(object)") }
        if let since { query.append("since=\(since.unixSeconds())") }
        try Output.print(try await client.client.list("/v1/audit?" + query.joined(separator: "&"), limit: limit).data, json: client.json, columns: [
            ("id", "id"), ("at", "at"), ("actor", "actor"), ("action", "action"), ("object", "object"),
        ])
    }
}

struct Usage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Metered GPU-hours and cost per tenant and model.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Start of the period (default: the beginning): \(TimeArgument.help).") var since: TimeArgument?
    @Option(help: "End of the period (default: now): \(TimeArgument.help).") var until: TimeArgument?
    func run() async throws {
        var query = ["since=\(since?.unixSeconds() ?? 0)"]
        if let until { query.append("until=\(until.unixSeconds())") }
        let data = try await client.client.get("/v1/usage?" + query.joined(separator: "&"))
        if client.json { print(String(decoding: data, as: UTF8.self)); return }
        let report = try JSONDecoder().decode(JSONValue.self, from: data)
        guard case .array(let lines)? = report["lines"] else { return }
        print(Output.table(lines, columns: [("tenant", "tenant"), ("model", "model"), ("gpu_hours", "gpuHours"), ("cost", "cost")]))
        let (hours, cost) = lines.reduce((0.0, 0.0)) { sum, line in
            guard case .number(let h)? = line["gpuHours"], case .number(let c)? = line["cost"] else { return sum }
            return (sum.0 + h, sum.1 + c)
        }
        print("total \(JSONValue.number(hours).rendered) GPU-hours, \(Money.format(cost)) from \(Cell.render(report["since"], key: "since")) to \(Cell.render(report["until"], key: "until"))")
    }
}
