import Foundation
import ReservoirServices
import Testing

/// The scheduler's and provisioning's wake-up signal: a poke wakes, pokes coalesce, a timeout leaves
/// the signal intact, and an idle wait really waits (the idle server once spun at ~100 cycles a second).
@Suite("Wake-up signal")
struct WakeupsTests {
    /// Seconds `body` takes.
    func timed(_ body: () async -> Void) async -> Double {
        let start = Date()
        await body()
        return Date().timeIntervalSince(start)
    }

    @Test("a poke wakes a waiting loop at once")
    func pokeWakes() async {
        let wakeups = Wakeups()
        let poker = Task {
            try? await Task.sleep(nanoseconds: 50_000_000)
            wakeups.poke()
        }
        let waited = await timed { await wakeups.wait(upTo: 10) }
        #expect(waited < 5)
        _ = await poker.value
    }

    @Test("a poke before the wait is kept for it; many pokes count as one")
    func pokesCoalesce() async {
        let wakeups = Wakeups()
        for _ in 0..<1000 { wakeups.poke() }
        #expect(await timed { await wakeups.wait(upTo: 10) } < 1)
        // The thousand pokes were one: the next wait runs to its timeout.
        #expect(await timed { await wakeups.wait(upTo: 0.3) } >= 0.25)
    }

    @Test("a wait whose timeout wins leaves the signal working: later waits wait, later pokes wake")
    func timeoutKeepsSignal() async {
        let wakeups = Wakeups()
        for _ in 0..<3 {
            #expect(await timed { await wakeups.wait(upTo: 0.1) } >= 0.08)
        }
        // Idle waits really wait: twenty short waits take twenty timeouts, not a spin.
        let idle = await timed { for _ in 0..<20 { await wakeups.wait(upTo: 0.02) } }
        #expect(idle >= 0.35)
        let poker = Task {
            try? await Task.sleep(nanoseconds: 50_000_000)
            wakeups.poke()
        }
        #expect(await timed { await wakeups.wait(upTo: 10) } < 5)
        _ = await poker.value
    }

    @Test("a cancelled waiter returns and does not swallow the next poke")
    func cancellation() async {
        let wakeups = Wakeups()
        let waiter = Task { await wakeups.wait(upTo: 60) }
        try? await Task.sleep(nanoseconds: 50_000_000)
        waiter.cancel()
        #expect(await timed { await waiter.value } < 5)
        wakeups.poke()
        #expect(await timed { await wakeups.wait(upTo: 10) } < 1)
    }
}
