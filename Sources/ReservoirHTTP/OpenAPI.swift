import Foundation

/// Builds the OpenAPI 3 document from the same route list the router is built from: every body,
/// parameter, header and status from each route's contract, every schema from `Components`.
enum OpenAPIDocument {
    static func make(routes: [APIRoute], version: String) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation(route)
        }
        return [
            "openapi": "3.0.3",
            "info": ["title": "Reservoir API", "version": version, "description": "AI compute-pool platform: inventory, tenancy, quotas, jobs, audit."],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": Dictionary(uniqueKeysWithValues: Components.all.map { ($0.name, $0.schema.fragment.foundation) }),
                "responses": [
                    "Error": [
                        "description": "An error naming the field or reason",
                        "content": ["application/json": ["schema": Components.error.ref.fragment.foundation]],
                    ],
                ],
            ],
        ]
    }

    static func operation(_ route: APIRoute) -> [String: Any] {
        var responses: [String: Any] = [:]
        let answer = route.answers
        var success: [String: Any] = ["description": answer.status.reasonPhrase]
        if !answer.media.isEmpty {
            success["content"] = Dictionary(uniqueKeysWithValues: answer.media.map { ($0.mediaType, ["schema": $0.schema.fragment.foundation]) })
        }
        if !answer.headers.isEmpty {
            success["headers"] = Dictionary(uniqueKeysWithValues: answer.headers.map { header in
                (header.name, ["description": header.description, "schema": header.schema.fragment.foundation] as [String: Any])
            })
        }
        responses[String(answer.status.code)] = success
        for status in route.errorStatuses { responses[String(status.code)] = ["$ref": "#/components/responses/Error"] }

        var operation: [String: Any] = ["summary": route.summary, "operationId": operationID(route), "responses": responses]
        var parameters: [[String: Any]] = pathParameters(route.path).map { name in
            ["name": name, "in": "path", "required": true, "schema": pathSchema(name).fragment.foundation]
        }
        for parameter in route.query + (answer.isPage ? [.limit, .cursor] : []) {
            parameters.append([
                "name": parameter.name, "in": parameter.location, "required": parameter.required, "description": parameter.description,
                "schema": parameter.schema.fragment.foundation,
            ])
        }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body = route.body {
            operation["requestBody"] = ["required": true, "content": body.content.mapValues { ["schema": $0.fragment.foundation] }]
        }
        if route.path.hasPrefix("/v1/") { operation["security"] = [["bearer": [String]()]] }
        return operation
    }

    /// Path parameters are ids or names; `{index}` is a device's position on its node.
    static func pathSchema(_ name: String) -> Schema {
        name == "index" ? .integer(minimum: 0) : .string(minLength: 1)
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    static func operationID(_ route: APIRoute) -> String {
        route.method.rawValue.lowercased() + route.path.split(separator: "/").dropFirst().map { part in
            let clean = part.filter { $0.isLetter || $0.isNumber }
            return clean.prefix(1).uppercased() + clean.dropFirst()
        }.joined()
    }
}
