import Foundation
import ReservoirHTTP
import ReservoirTestSupport
import Testing

/// Real answers of a running server held to `/openapi.json`: every route of the route table is
/// exercised with a valid request and with requests that must fail (`RouteExamples`), and every
/// status must be documented for its operation and every body must match the documented schema.
@Suite("OpenAPI conformance: the server answers as its document says")
struct OpenAPIConformanceTests {
    @Test("every route, valid and failing, answers a documented status with a body that matches its schema")
    func everyRouteConforms() async throws {
        try await InProcessServer.with { api, reservoir in
            let document = try JSON(data: try await api.get("/openapi.json", token: nil).body)
            let validator = JSONSchemaValidator(document: document)
            let routes = ReservoirServer.documentedRoutes(reservoir).map { "\($0.method) \($0.path)" }
            let documented = Self.operations(document)

            for key in Set(routes).subtracting(documented).sorted() { Issue.record("\(key) is a route but not in /openapi.json") }
            for key in documented.subtracting(routes).sorted() { Issue.record("/openapi.json documents \(key), which is not a route") }
            for key in Set(RouteExamples.all.keys).subtracting(routes).sorted() { Issue.record("the example \(key) names no route") }

            let world = try await ExampleWorld.setUp(api)
            var exercised = Set<String>()
            for key in routes.sorted() {
                guard let example = RouteExamples.all[key] else {
                    Issue.record("\(key) has no example in RouteExamples: it would go unexercised")
                    continue
                }
                let operation = try #require(Self.operation(key, in: document))
                if let problem = Self.undescribed(operation) { Issue.record("\(key): \(problem)") }

                let reply = try await world.send(try await example.valid(world, "alpha"), as: example.caller)
                #expect(reply.status == example.status, "\(key) valid request: \(reply.status) \(reply.text.prefix(300))")
                for problem in Self.conformance(of: reply, to: operation, validator) { Issue.record("\(key) valid request: \(problem)") }

                #expect(!example.failures.isEmpty, "\(key) has no failing example")
                for failure in example.failures + example.renderings {
                    let request = try await failure.request(world)
                    let r = try await world.send(request, as: failure.caller)
                    let what = "\(key) as \(failure.caller): \(request.method) \(request.path)"
                    #expect(r.status == failure.status, "\(what): \(r.status) \(r.text.prefix(300))")
                    for problem in Self.conformance(of: r, to: operation, validator) { Issue.record("\(what): \(problem)") }
                }
                exercised.insert(key)
            }
            #expect(exercised == Set(routes), "routes not exercised: \(Set(routes).subtracting(exercised).sorted())")
        }
    }

    /// "METHOD path" of every operation in the document.
    static func operations(_ document: JSON) -> Set<String> {
        Set((document["paths"]?.object ?? [:]).flatMap { path, operations in (operations.object ?? [:]).keys.map { "\($0.uppercased()) \(path)" } })
    }

    static func operation(_ key: String, in document: JSON) -> JSON? {
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        return document["paths"]?[parts[1]]?[parts[0].lowercased()]
    }

    /// Why a reply does not conform to its operation: an undocumented status, a content type other
    /// than the documented one, a body that does not match the schema of the status's response, a body
    /// where none is documented, a documented response header whose value does not match its schema.
    static func conformance(of reply: Reply, to operation: JSON, _ validator: JSONSchemaValidator) -> [String] {
        guard var response = operation["responses"]?[String(reply.status)] else {
            return ["status \(reply.status) is not documented (\(reply.text.prefix(200)))"]
        }
        if let ref = response["$ref"]?.string {
            guard let target = validator.resolve(ref) else { return ["unresolved \(ref)"] }
            response = target
        }
        var problems: [String] = []
        for (name, header) in response["headers"]?.object ?? [:] {
            guard let value = reply.headers[name.lowercased()], let schema = header["schema"] else { continue }
            let typed: JSON = schema["type"]?.string == "integer" ? Double(value).map(JSON.number) ?? .string(value) : .string(value)
            problems += validator.validate(typed, against: schema, at: "header \(name)").map(\.description)
        }
        guard let content = response["content"]?.object, !content.isEmpty else {
            return problems + (reply.body.isEmpty ? [] : ["status \(reply.status) documents no body, but one came: \(reply.text.prefix(200))"])
        }
        let contentType = reply.headers["content-type"] ?? ""
        guard let (mediaType, media) = content.first(where: { contentType.hasPrefix($0.key) }) else {
            return problems + ["Content-Type is \(contentType), not a documented one (\(content.keys.sorted().joined(separator: ", ")))"]
        }
        guard let schema = media["schema"] else { return problems + ["\(mediaType) has no schema"] }
        guard mediaType == "application/json" else {
            return problems + (reply.body.isEmpty ? ["status \(reply.status) documents a \(mediaType) body, but none came"] : [])
        }
        guard let body = try? JSON(data: reply.body) else { return problems + ["the body is not JSON: \(reply.text.prefix(200))"] }
        return problems + validator.validate(body, against: schema).map { "body \($0)" }
    }

    /// A success answer documented as any object says nothing: every route must name its shape.
    static func undescribed(_ operation: JSON) -> String? {
        for (status, response) in operation["responses"]?.object ?? [:] where status.hasPrefix("2") {
            guard let schema = response["content"]?.object?.values.first?["schema"] else { continue }
            if schema["$ref"] == nil, schema["type"]?.string == "object", schema["properties"]?.object?.isEmpty ?? true {
                return "its \(status) answer is documented as any object"
            }
        }
        return nil
    }
}
