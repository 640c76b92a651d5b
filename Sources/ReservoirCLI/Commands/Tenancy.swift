import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, create, disable, enable or delete tenants.",
        subcommands: [List.self, Create.self, Disable.self, Enable.self, Delete.self], defaultSubcommand: List.self)
    static var columns: [Column<Tenant>] { [Column("tenant", \.id), Column("name", \.name), Column("weight", \.weight), Column("disabled", \.disabled)] }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tenants.")
        @OptionGroup var client: ClientOptions
        func run() async throws {
            try Output.rows(try await client.client.list("/v1/tenants"), json: client.json, columns: Tenants.columns)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a tenant.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        @Option(help: "Fair-share weight.") var weight: Double = 1
        func run() async throws {
            try Output.row(try await client.client.json(.POST, "/v1/tenants", ["id": id, "weight": weight]), json: client.json, columns: [
                Column<Tenant>("tenant", \.id), Column("weight", \.weight),
            ])
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
    static func setDisabled<Row: Decodable>(_ disabled: Bool, _ path: String, client: ClientOptions, columns: [Column<Row>]) async throws {
        try Output.row(try await client.client.json(.PATCH, path, ["disabled": disabled]), json: client.json, columns: columns)
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
    static var columns: [Column<User>] { [Column("user", \.id), Column("tenant", \.tenant), roles, Column("disabled", \.disabled)] }

    /// A user's roles, sorted: the server sends a set, in no particular order.
    static var roles: Column<User> { Column("roles") { $0.roles.map(\.rawValue).sorted().joined(separator: ",") } }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var client: ClientOptions
        func run() async throws {
            try Output.rows(try await client.client.list("/v1/users"), json: client.json, columns: Users.columns)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user.")
        @OptionGroup var client: ClientOptions
        @Argument var id: String
        @Option(help: "The user's tenant (required for members).") var tenant: String?
        @Option(parsing: .upToNextOption, help: "Roles: operator, member, approver, emergency-approver, finance, agent.") var role: [String] = ["member"]
        func run() async throws {
            var body: [String: Any] = ["id": id, "roles": role]
            if let tenant { body["tenant"] = tenant }
            try Output.row(try await client.client.json(.POST, "/v1/users", body), json: client.json, columns: [
                Column<User>("user", \.id), Column("tenant", \.tenant), Users.roles,
            ])
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
            try Output.rows(try await client.client.list("/v1/tokens"), json: client.json, columns: [
                Column<TokenInfo>("token", \.id), Column("user", \.user), .time("created", \.createdAt), .time("expires", \.expiresAt),
                .time("last_used", \.lastUsedAt), Column("revoked", \.revoked),
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
            try Output.row(try await client.client.json(.POST, "/v1/tokens", body), json: client.json, columns: [
                Column<IssuedToken>("token", \.id), Column("user", \.user), .time("expires", \.expiresAt), Column("secret", \.token),
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
    static var columns: [Column<QuotaView>] {
        [Column("tenant", \.tenant), Column("pool", \.pool), Column("model", \.model), Column("used", \.used), Column("guaranteed", \.guaranteed), Column("limit", \.limit)]
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List quotas.")
        @OptionGroup var client: ClientOptions
        func run() async throws { try Output.rows(try await client.client.list("/v1/quotas"), json: client.json, columns: QuotaCommand.columns) }
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
            try Output.row(try await client.client.json(.PUT, "/v1/quotas", body), json: client.json, columns: QuotaCommand.columns.filter { $0.header != "used" })
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
        try Output.rows(try await client.client.list("/v1/audit?" + query.joined(separator: "&"), limit: limit), json: client.json, columns: [
            Column<AuditEntry>("id", \.id), .time("at", \.at), Column("actor", \.actor), Column("action", \.action), Column("object", \.object),
        ])
    }
}
