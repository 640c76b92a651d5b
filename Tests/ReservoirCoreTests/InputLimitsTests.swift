import ReservoirCore
import Testing

@Suite("Input limits")
struct InputLimitsTests {
    @Test("identifiers are lowercase ASCII: every demo, openb and test id passes; homoglyphs, overrides, NUL and long ids do not")
    func identifiers() {
        for ok in ["nlp", "nlp-member", "bj-a100-01", "openb-node-0000", "cn-north", "r1", "a", "p_2.x", String(repeating: "a", count: 63)] {
            #expect(throws: Never.self) { try InputLimits.identifier(ok, field: "id") }
        }
        for bad in ["", "\u{0430}dmin", "adm\u{0000}in", "admin\u{202E}", "Admin", "-x", ".x", "a b", "../etc", String(repeating: "a", count: 64), "é"] {
            #expect(throws: ReservoirError.self, "\(bad.debugDescription)") { try InputLimits.identifier(bad, field: "id") }
        }
    }

    @Test("names are limited in bytes, not characters, and refuse control and direction characters")
    func names() {
        let marks = "a" + String(repeating: "\u{0301}", count: 300_000)
        #expect(marks.count == 1)
        #expect(throws: ReservoirError.invalid("name", "is longer than 200 bytes (UTF-8)")) { try InputLimits.name(marks, field: "name") }
        #expect(throws: ReservoirError.self) { try InputLimits.name("a\u{202E}b", field: "name") }
        #expect(throws: ReservoirError.self) { try InputLimits.name("a\nb", field: "name") }
        #expect(throws: Never.self) { try InputLimits.name("Llama 70B — fine-tune ✓", field: "name") }
        #expect(throws: Never.self) { try InputLimits.text("line one\nline two", field: "script", multiline: true) }
    }

    @Test("collections are bounded")
    func collections() {
        let selector = Dictionary(uniqueKeysWithValues: (0..<65).map { ("k\($0)", "v") })
        #expect(throws: ReservoirError.invalid("request.nodeSelector", "has 65 entries; at most 64 are allowed")) {
            try InputLimits.labels(selector, field: "request.nodeSelector")
        }
        #expect(throws: ReservoirError.self) { try InputLimits.labels(["zone": String(repeating: "x", count: 257)], field: "labels") }
        #expect(throws: ReservoirError.invalid("labels", "a key may contain only ASCII letters, digits, '-', '_', '.' and '/'")) {
            try InputLimits.labels(["zo\u{0000}ne": "a"], field: "labels")
        }
        #expect(throws: Never.self) { try InputLimits.labels(["nvidia.com/gpu.product": "A100-SXM4-80GB"], field: "labels") }
    }
}
