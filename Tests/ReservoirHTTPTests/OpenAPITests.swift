import Foundation
import NIOHTTP1
import ReservoirCore
import ReservoirHTTP
import ReservoirTestSupport
import Testing

/// The OpenAPI document and the router are built from one list; this keeps them honest.
@Suite("OpenAPI document in sync with the router")
struct OpenAPITests {
    static let required: [(String, String)] = [
        ("GET", "/v1/pools"), ("GET", "/v1/nodes"), ("GET", "/v1/devices"), ("GET", "/v1/catalog"),
        ("GET", "/v1/tenants"), ("POST", "/v1/tenants"), ("GET", "/v1/users"), ("POST", "/v1/users"),
        ("GET", "/v1/tokens"), ("POST", "/v1/tokens"), ("GET", "/v1/quotas"), ("PUT", "/v1/quotas"),
        ("GET", "/v1/jobs"), ("POST", "/v1/jobs"), ("GET", "/v1/jobs/{id}"), ("GET", "/v1/jobs/{id}/explain"),
        ("POST", "/v1/jobs/{id}/cancel"), ("GET", "/v1/audit"),
    ]

    @Test("/openapi.json is valid OpenAPI 3 JSON listing every documented route, and every documented route is registered")
    func openAPIInSync() async throws {
        try await InProcessServer.with { api, reservoir in
            let reply = try await api.get("/openapi.json", token: nil)
            #expect(reply.status == 200)
            let document = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            #expect((document["info"] as? [String: Any])?["title"] != nil)
            let paths = try #require(document["paths"] as? [String: [String: Any]])

            let documented = ReservoirServer.documentedRoutes(reservoir)
            #expect(documented.count >= Self.required.count)
            var operationIDs = Set<String>()
            for route in documented {
                let operation = paths[route.path]?[route.method.lowercased()] as? [String: Any]
                #expect(operation != nil, "\(route.method) \(route.path) is missing from /openapi.json")
                #expect((operation?["summary"] as? String)?.isEmpty == false, "\(route.method) \(route.path) has no summary")
                if let id = operation?["operationId"] as? String {
                    #expect(operationIDs.insert(id).inserted, "duplicate operationId \(id)")
                }
                let parameters = (operation?["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                let placeholders = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
                #expect(parameters == placeholders, "\(route.path): parameters \(parameters)")
            }
            // Nothing in the document that the route list does not have.
            let documentedKeys = Set(documented.map { "\($0.method.lowercased()) \($0.path)" })
            for (path, operations) in paths {
                for method in operations.keys {
                    #expect(documentedKeys.contains("\(method) \(path)"), "/openapi.json lists \(method) \(path) that is not a documented route")
                }
            }
            for (method, path) in Self.required {
                #expect(documentedKeys.contains("\(method.lowercased()) \(path)"), "required route \(method) \(path) is not documented")
            }

            // Every documented route is registered: the router's own 404 says "no route".
            for route in documented {
                let path = route.path.replacingOccurrences(of: "{id}", with: "probe-id").replacingOccurrences(of: "{index}", with: "0")
                    .replacingOccurrences(of: "{name}", with: "probe-name")
                let r = try await api.send(HTTPMethod(rawValue: route.method), path, token: Fixture.operatorToken, body: nil)
                #expect(!(r.status == 404 && r.errorMessage.hasPrefix("no route")), "\(route.method) \(route.path) is documented but not routed")
                #expect(r.status < 500, "\(route.method) \(path) answered \(r.status) \(r.text)")
            }
            // And the probe itself works: an unregistered route does say "no route".
            let none = try await api.get("/v1/not-a-route", token: Fixture.operatorToken)
            #expect(none.status == 404 && none.errorMessage.hasPrefix("no route"))
        }
    }

    @Test("every $ref resolves, every schema is used, enums are the domain's, lists take limit and cursor and send Link")
    func typedContract() async throws {
        try await InProcessServer.with { api, _ in
            let document = try JSON(data: try await api.get("/openapi.json", token: nil).body)
            let validator = JSONSchemaValidator(document: document)
            var refs = Set<String>()
            func walk(_ node: JSON, _ path: String) {
                switch node {
                case .object(let o):
                    if let ref = o["$ref"]?.string {
                        refs.insert(ref)
                        #expect(validator.resolve(ref) != nil, "\(path): unresolved \(ref)")
                    }
                    for (k, v) in o { walk(v, path + "/" + k) }
                case .array(let a): for (i, v) in a.enumerated() { walk(v, "\(path)/\(i)") }
                default: break
                }
            }
            walk(document, "#")
            let unused = (document["components"]?["schemas"]?.object?.keys.map { $0 } ?? []).filter { !refs.contains("#/components/schemas/\($0)") }
            #expect(unused.isEmpty, "schemas no route uses: \(unused.sorted())")
            let state = validator.component("Job")?["properties"]?["state"]?["enum"]?.array?.compactMap(\.string)
            #expect(state == JobState.allCases.map(\.rawValue))
            let roles = validator.component("User")?["properties"]?["roles"]?["items"]?["enum"]?.array?.compactMap(\.string)
            #expect(roles == Role.allCases.map(\.rawValue))

            var lists = 0
            for (path, operations) in document["paths"]?.object ?? [:] {
                for (method, operation) in operations.object ?? [:] {
                    guard let ok = operation["responses"]?["200"], ok["content"]?["application/json"]?["schema"]?["type"]?.string == "array" else { continue }
                    lists += 1
                    let parameters = (operation["parameters"]?.array ?? []).filter { $0["in"]?.string == "query" }
                    let limit = parameters.first { $0["name"]?.string == "limit" }
                    #expect(limit?["schema"]?["minimum"] == .number(1) && limit?["schema"]?["maximum"] == .number(1000), "\(method) \(path): limit")
                    #expect(parameters.contains { $0["name"]?.string == "cursor" }, "\(method) \(path) takes no cursor")
                    #expect(ok["headers"]?["Link"] != nil, "\(method) \(path) documents no Link header")
                }
            }
            #expect(lists >= 14)
        }
    }

    @Test("a method a documented path does not take answers 405 with Allow, not 404; Allow lists the methods of the path's own route")
    func methodNotAllowed() async throws {
        try await InProcessServer.with { api, _ in
            let trace = try await api.send(.TRACE, "/v1/pools", token: Fixture.operatorToken)
            #expect(trace.status == 405 && trace.errorMessage.contains("GET"), "\(trace.status) \(trace.text)")
            let delete = try await api.send(.DELETE, "/v1/jobs/job-000001", token: Fixture.operatorToken)
            #expect(delete.status == 405 && delete.errorMessage.contains("GET, PATCH"), "\(delete.status) \(delete.text)")
            // The router takes /v1/jobs/cancel as that route's own path (not a job called "cancel"): GET is not allowed there.
            let get = try await api.get("/v1/jobs/cancel", token: Fixture.operatorToken)
            #expect(get.status == 405 && get.headers["allow"] == "POST", "\(get.status) \(get.headers) \(get.text)")
            #expect(try await api.send(.TRACE, "/v1/pools", token: nil).status == 401)
            let query = try await api.send(.RAW(value: "QUERY"), "/v1/jobs/cancel", token: Fixture.operatorToken)
            #expect(query.status == 405 && query.errorMessage.contains("POST"), "\(query.status) \(query.text)")
            #expect(query.headers["allow"] == "POST", "Allow names the methods of the path's own route, not of /v1/jobs/{id}: \(query.headers)")
        }
    }
}
