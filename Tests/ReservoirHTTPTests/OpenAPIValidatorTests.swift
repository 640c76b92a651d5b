import Foundation
import ReservoirTestSupport
import Testing

/// The validator the conformance test relies on: it must catch what it claims to catch, against the
/// served document's own schemas.
@Suite("OpenAPI validator catches bodies that do not match")
struct OpenAPIValidatorTests {
    static func document() async throws -> JSON {
        try await InProcessServer.with { api, _ in try JSON(data: try await api.get("/openapi.json", token: nil).body) }
    }

    static func json(_ text: String) throws -> JSON { try JSON(data: Data(text.utf8)) }

    @Test("an error body conforms; a missing field, a wrong type, an unknown code and an undocumented field are named by JSON path")
    func errorBody() async throws {
        let validator = JSONSchemaValidator(document: try await Self.document())
        let error = try #require(validator.component("Error"))
        #expect(validator.validate(try Self.json(#"{"error": {"code": "not_found", "field": "id", "message": "no job"}}"#), against: error).isEmpty)

        let bad = validator.validate(try Self.json(#"{"error": {"code": "oops", "field": 3}, "extra": true}"#), against: error).map(\.description)
        #expect(bad.contains { $0.hasPrefix("$.error.code:") && $0.contains("not one of") }, "\(bad)")
        #expect(bad.contains { $0.hasPrefix("$.error.field:") && $0.contains("not string") }, "\(bad)")
        #expect(bad.contains { $0 == "$.error: lacks the required property message" }, "\(bad)")
        #expect(bad.contains { $0 == "$: has the undocumented property extra" }, "\(bad)")
    }

    @Test("$ref, arrays, enums from the domain, integer bounds, patterns and rules across fields are checked")
    func nested() async throws {
        let validator = JSONSchemaValidator(document: try await Self.document())
        let submission = try #require(validator.component("JobSubmission"))
        let good = try Self.json(#"{"name": "train", "pool": "p1", "priority": "P1", "request": {"gpus": 2, "models": "A100-80GB|H100-80GB"}}"#)
        #expect(validator.validate(good, against: submission).isEmpty)
        let bad = validator.validate(
            try Self.json(#"{"name": "", "pool": "Pool One", "priority": "P9", "replicas": 0, "request": {"gpus": 1.5, "tolerations": [{"key": "a"}]}}"#),
            against: submission
        ).map(\.description)
        for path in ["$.name", "$.pool", "$.priority", "$.replicas", "$.request.gpus", "$.request.tolerations[0]"] {
            #expect(bad.contains { $0.hasPrefix(path + ":") }, "\(path) not reported in \(bad)")
        }
        #expect(validator.validate(.object([:]), against: .object(["$ref": .string("#/components/schemas/Nope")])).map(\.message) == ["unresolved $ref #/components/schemas/Nope"])

        // A rule across fields: a what-if request names its region and GPUs, a surge need not.
        let whatIf = try #require(validator.component("WhatIfInput"))
        #expect(validator.validate(try Self.json(#"{"scenario": "surge", "model": "T4", "factor": 2}"#), against: whatIf).isEmpty)
        #expect(validator.validate(try Self.json(#"{"scenario": "request", "model": "T4", "region": "r1", "gpus": 8}"#), against: whatIf).isEmpty)
        let partial = validator.validate(try Self.json(#"{"scenario": "request", "model": "T4", "region": null}"#), against: whatIf).map(\.description)
        #expect(partial == ["$: matches 0 of the anyOf alternatives"], "\(partial)")
    }
}
