import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import Testing

/// `/console/services…`: the list, and a service's replicas, SLA, traffic chart and scaling history; a member
/// sees only its tenant's services.
@Suite struct ServicesPagesTests {
    static func deploy(_ reservoir: Reservoir, _ principal: Principal, name: String) async throws -> ServiceView {
        let spec = try JSONDecoder().decode(ServiceSpec.self, from: Data(#"""
            {"name": "\#(name)", "pool": "p1", "model": "ranker-7b", "request": {"gpus": 1}, "replicas": {"min": 1, "max": 3},
             "sla": {"p99LatencyMs": 250, "peakQPS": 400}, "capacityQPS": 200,
             "traffic": {"baseQPS": 150, "diurnalAmplitude": 0.5, "peakHour": 20}}
            """#.utf8))
        return try await reservoir.services.deploy(spec, by: principal)
    }

    @Test func aServicesPageShowsReplicasSLATrafficAndHistory() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            let service = try await Self.deploy(reservoir, alice, name: "ranker")
            _ = try await reservoir.services.scale(service.service.id, to: 2, reason: "launch day", by: alice)

            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let list = try await member.get("/console/services")
            #expect(list.status == 200 && list.pageID == "services")
            #expect(list.html.contains(#"<th scope="row"><a href="/console/services/ranker">ranker</a></th><td>alpha</td><td>p1</td><td>ranker-7b</td>"#))

            let page = try await member.get("/console/services/ranker")
            #expect(page.status == 200 && page.pageID == "service")
            #expect(page.html.contains("range 1–3") && page.html.contains("SLA peak 400 req/s") && page.html.contains("SLA 250 ms"))
            #expect(page.html.contains(#"<svg class="chart""#) && page.html.contains("Requests per second offered over the last day"))
            #expect(page.html.contains(#"<polyline class="line""#), "the traffic curve is drawn")
            #expect(page.html.contains(#"<td>deployed</td>"#) && page.html.contains(#"<td>manual</td>"#) && page.html.contains("launch day"))
            #expect(page.html.contains(#"<a href="/console/jobs/"#), "its replica jobs are linked")
        }
    }

    @Test func aMemberSeesOnlyItsTenantsServices() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let bob = try reservoir.access.authenticate(bearer: tokens.bob)
            _ = try await Self.deploy(reservoir, bob, name: "bobs-ranker")
            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let list = try await member.get("/console/services")
            #expect(list.html.contains("No inference service yet.") && !list.html.contains("bobs-ranker"))
            #expect(try await member.get("/console/services/bobs-ranker").status == 404, "as the API: another tenant's service is not found")
            let op = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            #expect(try await op.get("/console/services").html.contains("bobs-ranker"))
            #expect(try await op.get("/console/services/nothing").status == 404)
        }
    }
}
