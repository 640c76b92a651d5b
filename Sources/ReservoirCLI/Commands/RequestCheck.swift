import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir request check -f FORM`: whether a request form would fit now, must queue, must shrink or
/// is refused, without submitting it.
struct CheckRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check a request form's feasibility against the live water level and the compliance rules (nothing is submitted).")
    @OptionGroup var client: ClientOptions
    @Option(name: [.short, .long], help: "The request form (.yaml or .json), as for `request submit`.") var file: String
    @Option(help: "GPUs to check instead of the form's (default: the form's, else the estimator's).") var gpus: Int?

    func run() async throws {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw ValidationError("cannot read \(file): \(error.localizedDescription)") }
        let submission = file.hasSuffix(".json")
            ? try BodyDecoding.json(RequestSubmission.self, from: Data(text.utf8)) : try BodyDecoding.yaml(RequestSubmission.self, from: text)
        let api = client.client
        let catalog = GPUCatalog(models: try await api.get("/v1/catalog").decode([GPUModel].self))
        let question = try FeasibilityQuestion(form: submission.form, catalog: catalog, gpus: gpus)
        let reply = try await api.send(.POST, "/v1/feasibility", body: try JSONEncoder().encode(question))
        guard let report = try Output.value(of: reply, json: client.json, as: FeasibilityReport.self) else { return }
        print("\(report.verdict.rawValue): \(report.message)")
        if let start = report.estimatedStart { print("estimated start: \(Timestamp.iso(start))") }
        if let fits = report.fits {
            print("would fit: \(fits.gpus) GPUs\(fits.model.map { " of \($0)" } ?? "")\(fits.pool.map { " in pool \($0)" } ?? "")")
        }
        for violation in report.violations { print("rule: \(violation)") }
        if report.usesStrategicReserve { print("takes the strategic reserve: the committee decides") }
        if !report.waterLevel.isEmpty { print(WaterLevelCommand.table(report.waterLevel)) }
    }
}
