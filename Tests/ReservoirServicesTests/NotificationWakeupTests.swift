import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// A change that commits notices wakes the delivery worker, so a notice leaves at once rather than at
/// the next poll (`notifications.pollIntervalSeconds`).
@Suite("Notification wake-ups")
struct NotificationWakeupTests {
    @Test("a manual scaling pokes the delivery worker after its commit")
    func scalingWakesDelivery() async throws {
        let w = try ServicesWorld()
        _ = try await w.deploy()
        let wakeups = w.reservoir.notifications.deliveryWakeups
        await wakeups.wait(upTo: 0)  // consume anything the deploy left
        _ = try await w.reservoir.services.scale("ranker", to: 1, reason: "quiet week", by: w.member)
        let started = Date()
        await wakeups.wait(upTo: 30)
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
