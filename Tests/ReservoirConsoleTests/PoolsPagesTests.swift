import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import Testing

/// `/console/pools…` and `/console/nodes/{node}`: the water level of every pool, the per-GPU heat map
/// (a cell per device, linked to its node; allocation, health, utilization), and a node with its work.
@Suite struct PoolsPagesTests {
    @Test func thePoolListShowsEachPoolWithItsWaterLevel() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            for token in [tokens.operator, tokens.alice] {
                let user = try await ConsoleBrowser.signedIn(port: port, token: token)
                let list = try await user.get("/console/pools")
                #expect(list.status == 200 && list.pageID == "pools")
                #expect(list.html.contains(#"<th scope="row"><a href="/console/pools/p1">p1</a></th>"#))
                #expect(list.html.contains("8 × A100-80GB") && list.html.contains(#"<svg class="bar""#))
            }
        }
    }

    @Test func thePoolsHeatMapHasACellPerGPULinkedToItsNode() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let admin = try reservoir.access.authenticate(bearer: tokens.operator)
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            let nodes = try reservoir.inventory.nodeViews(by: admin).sorted { $0.id < $1.id }
            let failing = try #require(nodes.last)
            _ = try await reservoir.health.setDeviceState(Device.id(node: NodeID(failing.id), index: 3), state: .failed, by: admin)
            let job = try JobsPagesTests.submit(reservoir, alice, name: "on-a-gpu", gpus: 2)
            let deadline = Date().addingTimeInterval(20)
            while try reservoir.jobs.job(job.id, by: alice).state != .running {
                try #require(Date() < deadline, "the job did not start")
                try await Task.sleep(nanoseconds: 20_000_000)
            }

            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await user.get("/console/pools/p1")
            #expect(page.status == 200 && page.pageID == "pool")
            for node in nodes {
                #expect(page.html.components(separatedBy: #"<a href="/console/nodes/\#(node.id)"><rect"#).count - 1 == 4, "4 cells of \(node.id)")
            }
            #expect(page.html.contains("rgb(11,60,130)"), "an allocated GPU is the deepest colour")
            #expect(page.html.contains(##"fill="#d0d7de""##) && page.html.contains("\(failing.id) · A100-80GB · failed"), "the failed GPU is grey and says so")
            #expect(page.html.contains("job \(job.id) (alpha) replica 0"), "the tooltip names the work the member may see")
            #expect(page.html.contains("Scale: colour of a cell from 0 % to 100 % allocation"))

            let byUse = try await user.get("/console/pools/p1?colour=utilization")
            #expect(byUse.status == 200 && byUse.html.contains(#"<strong aria-current="true">utilization</strong>"#))
            #expect(try await user.get("/console/pools/p1?colour=pink").status == 400)
            #expect(try await user.get("/console/pools/nowhere").status == 404)
        }
    }

    @Test func aNodePageListsItsDevicesAndTheWorkOnThemAsTheUserMaySee() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            let bob = try reservoir.access.authenticate(bearer: tokens.bob)
            let mine = try JobsPagesTests.submit(reservoir, alice, name: "alices-work", gpus: 4)
            let theirs = try JobsPagesTests.submit(reservoir, bob, name: "bobs-work", gpus: 4)
            let deadline = Date().addingTimeInterval(20)
            while try reservoir.jobs.job(mine.id, by: alice).state != .running || reservoir.jobs.job(theirs.id, by: bob).state != .running {
                try #require(Date() < deadline, "the jobs did not start")
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            let node = try #require(try reservoir.jobs.job(mine.id, by: alice).placements.first?.node)

            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await member.get("/console/nodes/\(node)")
            #expect(page.status == 200 && page.pageID == "node")
            #expect(page.html.contains(#"<th scope="row"><a href="/console/jobs/\#(mine.id)">\#(mine.id)</a></th><td>alices-work</td><td>alpha</td>"#))
            #expect(page.html.contains("allocated whole") && page.html.components(separatedBy: #"<rect x="#).count - 1 >= 4)
            let other = try #require(try reservoir.jobs.job(theirs.id, by: bob).placements.first?.node)
            let otherPage = try await member.get("/console/nodes/\(other)")
            #expect(!otherPage.html.contains("bobs-work") && otherPage.html.contains("4 GPUs here are held by work of other tenants."))
            #expect(try await member.get("/console/nodes/nowhere").status == 404)
        }
    }

    @Test func heatMapCellsLinkAndAPageSharesOneScale() {
        var map = HeatMap(title: "n1", cells: [.init(label: "0", value: 0.5, note: "half", link: "/console/nodes/n1?x=<1>")], columns: 1)
        map.showsLegend = false
        let svg = map.svg()
        #expect(svg.contains(#"<a href="/console/nodes/n1?x=&lt;1&gt;"><rect x="0" y="0""#) && svg.contains("</text></a>"))
        #expect(!svg.contains(">100 %</text>"), "no scale under a map that shares the page's")
        let scale = HeatMap(title: "scale", cells: []).svg()
        #expect(scale.contains(">0 %</text>") && scale.contains(">100 %</text>") && !scale.contains("<a "))
    }
}
