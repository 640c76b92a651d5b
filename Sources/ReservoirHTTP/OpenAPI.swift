import Foundation

/// Builds the OpenAPI 3 document from the same route list the router is built from.
enum OpenAPIDocument {
    static func make(routes: [APIRoute], version: String) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            var operation: [String: Any] = [
                "summary": route.summary,
                "operationId": operationID(route),
                "responses": [
                    "200": ["description": "OK", "content": ["application/json": ["schema": ["type": "object"]]]],
                    "400": ["$ref": "#/components/responses/Error"],
                    "401": ["$ref": "#/components/responses/Error"],
                    "403": ["$ref": "#/components/responses/Error"],
                    "404": ["$ref": "#/components/responses/Error"],
                ],
            ]
            let parameters = pathParameters(route.path).map { name -> [String: Any] in
                ["name": name, "in": "path", "required": true, "schema": ["type": "string"]]
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = route.body {
                operation["requestBody"] = [
                    "required": true,
                    "content": [
                        "application/json": ["schema": ["type": "object", "title": body]],
                        "application/yaml": ["schema": ["type": "object", "title": body]],
                    ],
                ]
            }
            if route.path.hasPrefix("/v1/") { operation["security"] = [["bearer": [String]()]] }
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.0.3",
            "info": ["title": "Reservoir API", "version": version, "description": "AI compute-pool platform: inventory, tenancy, quotas, jobs, audit."],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "responses": [
                    "Error": [
                        "description": "An error naming the field or reason",
                        "content": ["application/json": ["schema": [
                            "type": "object",
                            "properties": ["error": ["type": "object", "properties": [
                                "code": ["type": "string"], "field": ["type": "string"], "message": ["type": "string"],
                            ]]],
                        ]]],
                    ],
                ],
            ],
        ]
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
