import Foundation
@testable import ReservoirCLI
import ReservoirCore
import Testing

/// The CLI's formatting for people, unit by unit.
@Suite("CLI formats")
struct CLIFormatTests {
    @Test("durations: 2d, 12h, 30m, 45s, 1w, 1.5h, 1d12h; not a bare number or a typo")
    func durations() {
        #expect(DurationText.seconds("2d") == 172_800)
        #expect(DurationText.seconds("12h") == 43_200)
        #expect(DurationText.seconds("30m") == 1800)
        #expect(DurationText.seconds("30min") == 1800)
        #expect(DurationText.seconds("45s") == 45)
        #expect(DurationText.seconds("1w") == 604_800)
        #expect(DurationText.seconds("1.5h") == 5400)
        #expect(DurationText.seconds("1d12h") == 129_600)
        for bad in ["", "2", "h", "2x", "2d3", "-2d", "1..5h", "2 d"] { #expect(DurationText.seconds(bad) == nil, "\(bad)") }
    }

    @Test("--since: a duration ago, an ISO 8601 time or date, or Unix seconds")
    func timeArguments() throws {
        let now = 1_800_000_000.0
        #expect(try #require(TimeArgument(argument: "2d")).unixSeconds(now: now) == now - 172_800)
        #expect(try #require(TimeArgument(argument: "1700000000")).unixSeconds(now: now) == 1_700_000_000)
        #expect(try #require(TimeArgument(argument: "2026-12-01")).unixSeconds(now: now) == 1_796_083_200)
        #expect(try #require(TimeArgument(argument: "2026-12-01T09:00:00Z")).unixSeconds(now: now) == 1_796_083_200 + 9 * 3600)
        #expect(TimeArgument(argument: "yesterday") == nil)
        #expect(TimeArgument(argument: "nan") == nil)
    }

    @Test("times as ISO 8601 in UTC to the second; money as $1,234.50")
    func timesAndMoney() {
        #expect(Timestamp.iso(1_796_083_200.75) == "2026-12-01T00:00:00Z")
        #expect(Timestamp.iso(0) == "1970-01-01T00:00:00Z")
        #expect(Money.format(1234.5) == "$1,234.50")
        #expect(Money.format(0.008) == "$0.01")
        #expect(Money.format(1_000_000) == "$1,000,000.00")
        #expect(Money.format(-3) == "-$3.00")
        #expect(Money.format(999.999) == "$1,000.00")
    }

    @Test("cells: times in ISO 8601, money with its currency, hours with 2 decimals, yes/no, - for none")
    func cells() {
        #expect(Cell.time(1_796_083_200) == "2026-12-01T00:00:00Z")
        #expect(Cell.money(12.5) == "$12.50")
        #expect(Cell.money(2.4) == "$2.40")
        #expect(Cell.number(0.008333333333333333) == "0.01")
        #expect(Cell.number(1.5) == "1.50")
        #expect(Cell.number(128_000) == "128000")
        #expect(Cell.time(nil) == "-")
        #expect(true.cell == "yes" && Bool?.none.cell == "-")
        #expect(JobState.running.cell == "running" && JobID("job-000001").cell == "job-000001")
    }

    @Test("server errors read `404 not_found: id: no job …` on one line; a non-JSON body is cut to one line")
    func failureLines() {
        let json = APIClient.Failure(status: 404, body: #"{"error":{"code":"not_found","field":"id","message":"no job job-000999"}}"#)
        #expect(json.description == "404 not_found: id: no job job-000999")
        let html = APIClient.Failure(status: 502, body: "<html>\n<body>bad gateway</body>\n</html>")
        #expect(html.description == "502 Bad Gateway: <html> <body>bad gateway</body> </html>")
    }

    @Test("human durations in server messages: 30 s, 5 min, 1.5 h, 2 d")
    func humanDurations() {
        #expect(HumanDuration.text(hours: 30.0 / 3600) == "30 s")
        #expect(HumanDuration.text(seconds: 300) == "5 min")
        #expect(HumanDuration.text(seconds: 5400) == "1.5 h")
        #expect(HumanDuration.text(seconds: 172_800) == "2 d")
    }
}
