import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir forecast series [--signal demand|utilization] [--pool P] [--model M] [--horizon H]`: the
/// server's forecast for one pool and/or GPU model, day by day, with the events it includes and what it
/// could not model.
struct ForecastSeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series", abstract: "Forecast GPU demand (with business events) or utilization per pool and/or GPU model, from the server.")
    @OptionGroup var client: ClientOptions
    @Option(help: "demand (GPUs in use + queued) or utilization (mean GPU %).") var signal = "demand"
    @Option(help: "Only this pool.") var pool: String?
    @Option(help: "Only this device model.") var model: String?
    @Option(help: "Hours ahead (default: the server's planning horizon).") var horizon: Int?

    func run() async throws {
        let query = [("signal", signal), ("pool", pool), ("model", model), ("horizon", horizon.map(String.init))]
            .compactMap { k, v in v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } }.joined(separator: "&")
        let reply = try await client.client.send(.GET, "/v1/series/forecast?" + query)
        guard let answer = try Output.value(of: reply, json: client.json, as: SeriesForecast.self) else { return }
        let subject = [answer.pool.map { "pool \($0)" }, answer.model].compactMap { $0 }.joined(separator: ", ")
        print("\(answer.signal.rawValue) of \(subject.isEmpty ? "the reservoir" : subject) (\(answer.unit)), \(answer.method), "
            + "fitted on \(answer.historyPoints) h; seasonality: \(answer.seasonality.joined(separator: ", "))")
        for event in answer.events {
            print("includes event \(event.id) \"\(event.name)\" (\(EventText.describe(event))) \(Cell.time(event.start)) – \(Cell.time(event.end))")
        }
        for note in answer.notes { print("note: \(note)") }
        print(Output.table(Self.days(answer), columns: [
            Column("day", \.day), Column("mean", \.mean), Column("peak", \.peak), Column("peak_lower80", \.lower), Column("peak_upper80", \.upper),
        ]))
    }

    struct Day { var day: String; var mean: Double; var peak: Double; var lower: Double; var upper: Double }

    /// The hourly forecast summarised per day: mean, peak and the 80 % band at the peak hour.
    static func days(_ answer: SeriesForecast) -> [Day] {
        let f = answer.forecast
        let perDay = max(1, Int((86_400 / answer.step).rounded()))
        return stride(from: 0, to: f.mean.count, by: perDay).map { from in
            let range = from..<min(f.mean.count, from + perDay)
            let peak = range.max { f.mean[$0] < f.mean[$1] } ?? from
            let mean = range.map { f.mean[$0] }.reduce(0, +) / Double(range.count)
            let day = String(Cell.time(answer.start + Double(from) * answer.step).prefix(10))
            return Day(day: day, mean: (mean * 10).rounded() / 10, peak: (f.mean[peak] * 10).rounded() / 10,
                       lower: (f.lower80[peak] * 10).rounded() / 10, upper: (f.upper80[peak] * 10).rounded() / 10)
        }
    }
}
