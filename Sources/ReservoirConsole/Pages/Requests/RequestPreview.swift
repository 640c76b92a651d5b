import Foundation
import ReservoirCore
import ReservoirServices

/// The estimator's and the feasibility check's answer for the intake form as filled in so far — what
/// `POST /v1/estimates` and `POST /v1/feasibility` answer for the same values, with the caller's
/// principal. Shown beside the form: fetched as a fragment while one types (the script), or rendered
/// with the form when the "Estimate" button is pressed (no script needed). Nothing is stored.
enum RequestPreview {
    static func build(_ input: RequestFormInput, _ request: ConsoleRequest) -> [String: any Sendable] {
        var data = answer(input, request)
        // Mustache shows a list's wrapper only when told it has rows.
        for key in ["estimateLines", "assumptions", "estimateProblems", "feasibilityLines", "feasibilityProblems"] {
            data["has" + key.prefix(1).uppercased() + String(key.dropFirst())] = !((data[key] as? [any Sendable])?.isEmpty ?? true)
        }
        return data
    }

    private static func answer(_ input: RequestFormInput, _ request: ConsoleRequest) -> [String: any Sendable] {
        let form: RequestForm
        do {
            form = try input.requestForm()
        } catch {
            return ["estimateProblems": problems(error), "feasibilityNote": "Fix the values above to check feasibility."]
        }
        var data: [String: any Sendable] = [:]
        var estimatedGPUs: Int?
        do {
            if let estimate = try Self.estimate(form, request) {
                data["estimateLines"] = estimate.lines
                data["assumptions"] = estimate.assumptions
                estimatedGPUs = estimate.gpus
            } else {
                data["estimateNote"] = form.kind == .inference
                    ? "Give the p99 latency target, the peak QPS and a load test to estimate the GPUs."
                    : "Give the parameters, the training tokens and the GPU model to estimate the run."
            }
        } catch {
            data["estimateProblems"] = problems(error)
        }
        guard let category = form.category, let gpus = form.training?.gpus ?? form.inference?.gpus ?? estimatedGPUs else {
            data["feasibilityNote"] = "Give the category and the GPUs (or what the estimate needs) to check feasibility."
            return data
        }
        do {
            let question = FeasibilityQuestion(
                tenant: form.tenant, category: category, pool: form.pool, model: form.training?.gpuModel ?? form.inference?.gpuModel, gpus: gpus,
                durationHours: form.training?.durationHours ?? form.inference?.durationHours)
            let report = try request.reservoir.feasibility.assess(question, by: request.principal)
            data["verdict"] = report.verdict.rawValue
            data["feasibilityMessage"] = report.message
            data["feasibilityLines"] = feasibilityLines(report)
        } catch {
            data["feasibilityProblems"] = problems(error)
        }
        return data
    }

    /// The estimate in lines, its assumptions and the GPUs it recommends; nil when the form gives too little.
    private static func estimate(_ form: RequestForm, _ request: ConsoleRequest) throws -> (lines: [[String: any Sendable]], assumptions: [String], gpus: Int)? {
        if let t = form.training, form.kind == .training {
            guard let parameters = t.parameters, let tokens = t.tokens, let model = t.gpuModel else { return nil }
            var ask = EstimateRequest(kind: .training)
            ask.parameters = parameters
            ask.tokens = tokens
            ask.model = model
            ask.gpus = t.gpus
            guard let e = try request.reservoir.estimates.estimate(ask, by: request.principal).training else { return nil }
            let minimum = e.minimumGPUs.first { $0.model == e.workload.model }?.minimumGPUs
            var lines = [
                line("GPUs", "\(e.gpus) × \(e.workload.model)"), line("GPU-hours", SVG.figure(e.gpuHours)),
                line("Wall clock", ConsoleFormat.duration(e.wallClockHours * 3_600)),
                line("Fits in memory", e.fits ? "yes" : "no — at least \(minimum.map(String.init) ?? "more") GPUs"),
            ]
            if let error = e.calibration.meanAbsolutePercentError { lines.append(line("Calibration error", ConsoleFormat.percent(error))) }
            return (lines, e.assumptions, e.gpus)
        }
        if let i = form.inference, form.kind == .inference {
            guard let rows = i.loadTest, let p99 = i.sla?.p99LatencyMs, let peak = i.sla?.peakQPS else { return nil }
            var ask = EstimateRequest(kind: .inference)
            ask.loadTest = rows
            ask.p99Ms = p99
            ask.peakQPS = peak
            ask.replicasHA = i.haReplicas
            guard let e = try request.reservoir.estimates.estimate(ask, by: request.principal).inference else { return nil }
            let lines = [
                line("GPUs", "\(e.gpus) (\(e.servingGPUs) serving + \(e.haReplicas) for availability)"),
                line("QPS per GPU", SVG.figure(e.perGPUQPS)),
                line("Operating point", "concurrency \(e.operatingPoint.concurrency), p99 \(SVG.figure(e.operatingPoint.p99Ms)) ms"),
            ]
            return (lines, e.assumptions, e.gpus)
        }
        return nil
    }

    private static func feasibilityLines(_ report: FeasibilityReport) -> [[String: any Sendable]] {
        var lines: [[String: any Sendable]] = []
        if let pool = report.pool { lines.append(line("Pool", [pool.rawValue, report.model].compactMap { $0 }.joined(separator: " · "))) }
        if let start = report.estimatedStart { lines.append(line("Expected start", ConsoleFormat.time(start))) }
        if let fits = report.fits { lines.append(line("What fits", ConsoleTerms.text(fits))) }
        if report.usesStrategicReserve { lines.append(line("Strategic reserve", "takes it: the committee decides")) }
        for violation in report.violations { lines.append(line("Rule", violation)) }
        return lines
    }

    private static func line(_ label: String, _ value: String) -> [String: any Sendable] { ["label": label, "value": value] }

    private static func problems(_ error: any Error) -> [String] {
        (error as? ReservoirError).map(FieldErrors.lines) ?? ["\(error)"]
    }

    /// The answer's markup (the `request-preview` partial), inside `[data-estimate]` on the form and alone
    /// as the fragment the script fetches.
    static let template = """
        <div class="preview">
        <h3>Estimate</h3>
        {{#hasEstimateLines}}<dl class="facts">{{#estimateLines}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/estimateLines}}</dl>{{/hasEstimateLines}}
        {{#hasAssumptions}}<details><summary>Assumptions</summary><ul>{{#assumptions}}<li>{{.}}</li>{{/assumptions}}</ul></details>{{/hasAssumptions}}
        {{#estimateNote}}<p class="hint">{{estimateNote}}</p>{{/estimateNote}}
        {{#hasEstimateProblems}}<ul class="problems">{{#estimateProblems}}<li>{{.}}</li>{{/estimateProblems}}</ul>{{/hasEstimateProblems}}
        <h3>Feasibility</h3>
        {{#verdict}}<p class="verdict verdict-{{verdict}}"><strong>{{verdict}}</strong>: {{feasibilityMessage}}</p>{{/verdict}}
        {{#hasFeasibilityLines}}<dl class="facts">{{#feasibilityLines}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/feasibilityLines}}</dl>{{/hasFeasibilityLines}}
        {{#feasibilityNote}}<p class="hint">{{feasibilityNote}}</p>{{/feasibilityNote}}
        {{#hasFeasibilityProblems}}<ul class="problems">{{#feasibilityProblems}}<li>{{.}}</li>{{/feasibilityProblems}}</ul>{{/hasFeasibilityProblems}}
        </div>
        """
}

/// Capacity terms in words, the same on every page: `4 × A100-80GB on bj-training for 1 d`.
enum ConsoleTerms {
    /// Milli-GPU as GPUs: `4`, `0.5`.
    static func gpus(_ milli: Int) -> String { milli % 1_000 == 0 ? "\(milli / 1_000)" : "\(Double(milli) / 1_000)" }

    static func text(_ terms: AllocationTerms) -> String {
        "\(terms.gpus) × \(terms.model ?? "any GPU") on \(terms.pool?.rawValue ?? "any pool")"
            + (terms.durationHours.map { " for \(ConsoleFormat.duration($0 * 3_600))" } ?? ", no fixed term")
    }
}
