import Foundation
import ReservoirCore
import ReservoirServices
import Testing

@Suite("Strict decoding and input limits")
struct StrictDecodingTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples").standardized

    @Test("the shipped descriptions and job files have no unknown keys and keep the limits")
    func shippedFilesStayValid() throws {
        _ = try ClusterDescription.parse(yaml: DemoReservoir.description)
        _ = try ClusterDescription.parse(yaml: String(contentsOf: Self.examples.appendingPathComponent("hybrid-slurm.yaml"), encoding: .utf8))
        for file in ["job.yaml", "too-big.yaml"] {
            let job = try BodyDecoding.yaml(JobSubmission.self, from: String(contentsOf: Self.examples.appendingPathComponent(file), encoding: .utf8))
            try job.checkLimits()
        }
    }

    @Test("a YAML null where text is required is refused as missing, not read as the text \"null\"")
    func yamlNullIsNotText() throws {
        for yaml in ["name: null\nrequest: {gpus: 1}\n", "name: ~\nrequest: {gpus: 1}\n", "name: x\nrequest: {gpus: 1, models: [null]}\n"]  {
            let error = #expect(throws: ReservoirError.self, "\(yaml)") { try BodyDecoding.yaml(JobSubmission.self, from: yaml) }
            #expect(error?.code == .invalidArgument, "\(yaml): \(String(describing: error))")
        }
        let tenant = #expect(throws: ReservoirError.self) { try BodyDecoding.yaml(Tenant.self, from: "id: null\n") }
        #expect(tenant?.field == "id")
        // Optional text may still be null (it is absent), and text that only looks like null is text.
        #expect(try BodyDecoding.yaml(JobSubmission.self, from: "name: nullable\ntenant: null\nrequest: {gpus: 1}\n").tenant == nil)
        #expect(try BodyDecoding.yaml(JobSubmission.self, from: "name: nullable\nrequest: {gpus: 1}\n").name == "nullable")
    }

    @Test("unknown keys are named at any depth, with the key probably meant")
    func unknownKeysAreNamed() throws {
        let cases: [(String, String, String)] = [
            ("name: x\nreplica: 2\nrequest: {gpus: 1}\n", "replica", "did you mean 'replicas'?) (line 2, column 1)"),
            ("name: x\nrequest:\n  gpus: lots\n", "request.gpus", "wrong type: expected a number (line 3, column 3)"),
            ("name: x\nrequest: {gpu: 1}\n", "request.gpu", "did you mean 'gpus'?"),
            ("name: x\nrequest: {gpus: 1, memory: 2}\n", "request.memory", "did you mean 'memoryMiB'?"),
            ("name: x\nrequest: {gpus: 1, tolerations: [{key: a, value: b, effect: c}]}\n", "request.tolerations[0].effect", "unknown key"),
            ("name: x\nrequest: {gpus: 1}\nzzz: 1\n", "zzz", "unknown key: zzz"),
            ("name: x\nkind: serve\nrequest: {gpus: 1}\n", "kind", "'serve' is not valid; expected one of: training, inference, test, batch"),
        ]
        for (yaml, field, message) in cases {
            do {
                _ = try BodyDecoding.yaml(JobSubmission.self, from: yaml)
                Issue.record("accepted \(yaml)")
            } catch let error as ReservoirError {
                #expect(error.field == field, "\(yaml): \(error)")
                #expect(error.message.contains(message), "\(yaml): \(error)")
            }
        }
        let json = #"{"name": "x", "request": {"gpus": 1, "nodeSelector": {"any-label": "ok"}}}"#
        #expect(try BodyDecoding.json(JobSubmission.self, from: Data(json.utf8)).request.nodeSelector == ["any-label": "ok"], "map keys are data, not unknown keys")
        let description = "regions:\n  - id: r\n    clusters:\n      - id: c\n        pools:\n          - {id: p, sharing: exclusive, labels: {zone: a}, reserverd: 0.1}\n"
        #expect(throws: ReservoirError.invalid(
            "regions[0].clusters[0].pools[0].reserverd", "unknown key: regions[0].clusters[0].pools[0].reserverd (did you mean 'reserved'?) (line 6, column 60)")) {
            try ClusterDescription.parse(yaml: description)
        }
    }

    @Test("malformed YAML and JSON name line and column")
    func syntaxErrorsSayWhere() {
        do {
            _ = try BodyDecoding.yaml(JobSubmission.self, from: "name: x\nrequest:\n  gpus: 1\n gpuMilli: 5\n")
            Issue.record("accepted bad indentation")
        } catch let error as ReservoirError {
            #expect(error.message.hasPrefix("malformed YAML at line 4, column"), "\(error)")
        } catch { Issue.record("\(error)") }
        do {
            _ = try BodyDecoding.json(JobSubmission.self, from: Data("{\"name\": \"x\",\n \"request\": {\"gpus\": 1 \"cpuMilli\": 2}}".utf8))
            Issue.record("accepted a missing comma")
        } catch let error as ReservoirError {
            #expect(error.message.hasPrefix("malformed JSON at line 2, column"), "\(error)")
        } catch { Issue.record("\(error)") }
    }
}

extension StrictDecodingTests {
    @Test("a body of many unknown keys is answered quickly, listing five and counting the rest")
    func manyUnknownKeys() throws {
        let keys = (0..<20_000).map { "\"k\($0)\(String(repeating: "x", count: 40))\": 1" }.joined(separator: ", ")
        let body = Data(#"{"name": "x", "request": {"gpus": 1}, \#(keys)}"#.utf8)
        let start = Date()
        do {
            _ = try BodyDecoding.json(JobSubmission.self, from: body)
            Issue.record("accepted unknown keys")
        } catch let error as ReservoirError {
            #expect(error.message.hasSuffix("and 19995 more"), "\(error.message.prefix(200))")
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }
}
