import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// A submission's feasibility (what the pool offers its request shape) is memoised per inventory
/// generation: it must follow every change of the inventory, never answer from an older one.
@Suite("Submission feasibility follows the inventory")
struct PoolFitMemoTests {
    @Test("a shape that fitted is refused once no node holds it, and accepted again when the devices return")
    func followsTheInventory() async throws {
        let world = try World()
        let op = World.operatorPrincipal
        _ = try world.submit("first", gpus: 4)
        _ = try world.submit("second", gpus: 4)  // the same shape, from the memo
        let nodes = try world.store.inventory().nodes.filter { $0.pool == "p1" }
        for node in nodes { _ = try await world.reservoir.health.setDeviceState(node.devices[0].id, state: .failed, by: op) }
        let refused = #expect(throws: ReservoirError.self) { try world.submit("third", gpus: 4) }
        #expect(refused?.field == "request" && "\(refused!)".contains("the largest node in pool p1 has 3"), "\(String(describing: refused))")
        _ = try world.submit("smaller", gpus: 3)  // another shape still fits
        for node in nodes { _ = try await world.reservoir.health.setDeviceState(node.devices[0].id, state: .available, by: op) }
        #expect(try world.submit("fourth", gpus: 4).request.gpus == 4)
    }
}
