import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// Prices through the running server: finance adds a version with `reservoir price set`, everyone who
/// reads billing lists them (`reservoir price list --at`), members may not set one, and a catalog edit of
/// the list price becomes a version from now on instead of rewriting the past.
@Suite("Prices over HTTP and the CLI")
struct PricesHTTPTests {
    @Test func financeSetsAPriceFromADateAndTheCatalogEditIsAVersion() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-prices-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            _ = try await api.post("/v1/users", token: Fixture.operatorToken, json: ["id": "fin", "roles": ["finance"]])
            let finance = try #require(try await api.post("/v1/tokens", token: Fixture.operatorToken, json: ["user": "fin"]).object["token"] as? String)

            let listed = try await api.get("/v1/prices?model=T4", token: t.alice)
            #expect(listed.status == 200 && listed.array.count == 1, "\(listed.text)")
            #expect(listed.array.first?["pricePerHour"] as? String == "0.35" && listed.array.first?["effectiveFrom"] as? Double == 0)

            let from = Date().timeIntervalSince1970 + 30 * 86_400
            let set = try await runCLI(
                ["price", "set", "T4", "--price", "0.50", "--spot", "0.20", "--from", String(Int(from)), "--note", "new contract"], server: api.base,
                token: finance, directory: dir)
            #expect(set.status == 0 && set.stdout.contains("$0.50") && set.stdout.contains("$0.20") && set.stdout.contains("user:fin"), "\(set.stdout)\(set.stderr)")
            let refused = try await runCLI(["price", "set", "T4", "--price", "0.10", "--from", String(Int(from) + 60)], server: api.base, token: t.alice, directory: dir)
            #expect(refused.status != 0 && refused.stderr.contains("403") || refused.stderr.contains("permission"), "\(refused.stdout)\(refused.stderr)")
            let twice = try await api.post("/v1/prices", token: finance, json: ["model": "T4", "pricePerHour": "0.60", "effectiveFrom": Double(Int(from))])
            #expect(twice.status == 409 && twice.text.contains("effectiveFrom"), "\(twice.text)")

            let garbled = try await api.post("/v1/prices", token: finance, json: ["model": "T4", "pricePerHour": "two", "effectiveFrom": from + 3600])
            #expect(garbled.status == 400 && garbled.text.contains("pricePerHour"), "\(garbled.text)")
            let asNumber = try await api.post("/v1/prices", token: finance, json: ["model": "T4", "pricePerHour": 0.45, "effectiveFrom": from + 7200])
            #expect(asNumber.status == 201 && asNumber.object["pricePerHour"] as? String == "0.45", "\(asNumber.text)")

            let later = try await runCLI(["price", "list", "--model", "T4", "--at", String(Int(from) + 1)], server: api.base, token: t.alice, directory: dir)
            #expect(later.status == 0 && later.stdout.contains("$0.50") && !later.stdout.contains("$0.35"), "\(later.stdout)\(later.stderr)")

            var t4 = try #require(try await api.get("/v1/catalog", token: Fixture.operatorToken).array.first { $0["name"] as? String == "T4" })
            t4["pricePerHour"] = 0.4
            let edited = try await api.put("/v1/catalog/T4", token: Fixture.operatorToken, json: t4)
            #expect(edited.status == 200, "\(edited.text)")
            let versions = try await api.get("/v1/prices?model=T4", token: finance).array
            #expect(versions.compactMap { $0["pricePerHour"] as? String } == ["0.35", "0.40", "0.50", "0.45"], "\(versions)")
            let now = try await api.get("/v1/prices?model=T4&at=\(Date().timeIntervalSince1970)", token: finance).array
            #expect(now.compactMap { $0["pricePerHour"] as? String } == ["0.40"], "\(now)")
        }
    }
}
