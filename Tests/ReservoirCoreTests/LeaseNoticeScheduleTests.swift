import ReservoirCore
import Testing

@Suite("Lease notice schedule")
struct LeaseNoticeScheduleTests {
    let schedule = LeaseNoticeSchedule(days: [1, 7, 3, 3])
    let day = LeaseNoticeSchedule.day

    @Test("a 7-day lease sends its 7-day notice at grant time, then the 3- and 1-day ones when due")
    func sevenDays() {
        let end = 7 * day
        #expect(schedule.days == [7, 3, 1])
        #expect(schedule.skipped(endsAt: end, armedAt: 0).isEmpty)
        #expect(schedule.due(endsAt: end, done: [], now: 0)?.send == 7)
        #expect(schedule.due(endsAt: end, done: [7], now: 3 * day) == nil)
        #expect(schedule.next(endsAt: end, done: [7]) == 4 * day)
        #expect(schedule.due(endsAt: end, done: [7], now: 4 * day)?.send == 3)
        #expect(schedule.next(endsAt: end, done: [7, 3, 1]) == nil)
    }

    @Test("short leases collapse: notices past at grant time are skipped, but the last one is always sent")
    func collapse() {
        #expect(schedule.skipped(endsAt: 2 * day, armedAt: 0) == [7, 3])
        #expect(schedule.due(endsAt: 2 * day, done: [7, 3], now: 0) == nil)
        #expect(schedule.skipped(endsAt: 0.5 * day, armedAt: 0) == [7, 3])
        #expect(schedule.due(endsAt: 0.5 * day, done: [7, 3], now: 0)?.send == 1)
    }

    @Test("notices due together (a server that was down) collapse into the most urgent, covering the others")
    func dueTogether() {
        let due = schedule.due(endsAt: 7 * day, done: [], now: 6.5 * day)
        #expect(due?.send == 1 && due?.covers == [7, 3, 1])
    }
}
