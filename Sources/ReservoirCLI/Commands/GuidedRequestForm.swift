import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir request submit --guided`: the intake form asked field by field. Each answer is checked
/// as it is given (required, a number in range, one of the choices, a catalog GPU model, p99 not
/// below the mean…) and a bad one is asked again, so what reaches the server is a complete form; the
/// server still checks it all (pool, emergency categories) and names what it refuses.
struct GuidedForm {
    /// Catalog GPU model names (from `/v1/catalog`).
    let catalog: [String]
    let input: () -> String?
    let output: (String) -> Void

    /// Asks every field the kind and category need; returns the form as JSON.
    func fill() throws -> [String: Any] {
        var form: [String: Any] = [:]
        for (field, hint) in [
            ("department", nil), ("project", nil), ("contact", "mail, chat handle or phone"), ("businessGoal", "what the capacity is for"),
            ("businessValue", "what it is worth"),
        ] as [(String, String?)] {
            form[field] = try text(field, hint: hint)
        }
        let kind = try choice("kind", RequestKind.allCases.map(\.rawValue))!
        form["kind"] = kind
        let category = try choice("category", RequestCategory.allCases.filter { $0.kind.rawValue == kind }.map(\.rawValue))!
        form["category"] = category
        form["pool"] = try text("pool", hint: "empty: any pool with the GPU model", optional: true)
        if kind == RequestKind.training.rawValue {
            form["training"] = try training(category: category)
        } else {
            form["inference"] = try inference(category: category)
        }
        if let emergency = try text("emergency category", hint: "empty: not an emergency; e.g. production-outage", optional: true) {
            var details: [String: Any] = ["category": emergency]
            details["incident"] = try text("incident", hint: "ticket id", optional: true)
            details["description"] = try text("what is happening")
            form["emergency"] = details
        }
        return form
    }

    private func training(category: String) throws -> [String: Any] {
        let limits = RequestForm.Limits.self
        var t: [String: Any?] = [:]
        t["modelName"] = try text("model name")
        t["modelType"] = try text("model type", hint: "llm, vision, multimodal…", optional: true)
        t["framework"] = try text("framework", hint: "PyTorch, TensorFlow…")
        t["parameters"] = try scaled("parameters", hint: "70B, 7e10", limits.parameters)
        t["tokens"] = try scaled("training tokens", hint: "2T, 2e12; empty: give the dataset size instead", limits.tokens, optional: true)
        t["datasetSizeGB"] = try number("dataset size (GB)", limits.datasetSizeGB, optional: t["tokens"]! != nil)
        t["datasetType"] = try text("dataset type", hint: "text, image, audio…", optional: true)
        t["gpuModel"] = try model()
        t["gpus"] = try integer("GPUs", limits.gpus)
        t["durationHours"] = try number(
            "duration (hours)", limits.hours, optional: category == RequestCategory.largeModel.rawValue,
            hint: category == RequestCategory.largeModel.rawValue ? "empty: no fixed term" : nil)
        t["frequency"] = try choice("frequency", RunFrequency.allCases.map(\.rawValue), optional: true)
        t["cudaVersion"] = try text("CUDA version", optional: true)
        t["pythonVersion"] = try text("Python version", optional: true)
        return t.compactMapValues { $0 }
    }

    private func inference(category: String) throws -> [String: Any] {
        let limits = RequestForm.Limits.self
        var i: [String: Any?] = [:]
        i["modelName"] = try text("model name or address")
        i["inputFormat"] = try text("input format", optional: true)
        i["outputFormat"] = try text("output format", optional: true)
        let p99 = try number("p99 latency (ms)", limits.latencyMs)!
        let mean = try ask("mean latency (ms)", optional: true) { line -> Answer<Double> in
            guard let v = Double(line), limits.latencyMs.contains(v) else { return .bad("a number within \(limits.latencyMs.lowerBound)…\(limits.latencyMs.upperBound)") }
            return v <= p99 ? .ok(v) : .bad("the mean may not exceed the p99 of \(Cell.number(p99)) ms")
        }
        let peak = try number("peak QPS", limits.qps)!
        let meanQPS = try ask("mean QPS", optional: true) { line -> Answer<Double> in
            guard let v = Double(line), limits.qps.contains(v) else { return .bad("a number within \(limits.qps.lowerBound)…\(limits.qps.upperBound)") }
            return v <= peak ? .ok(v) : .bad("the mean may not exceed the peak of \(Cell.number(peak)) QPS")
        }
        i["sla"] = ["p99LatencyMs": p99, "meanLatencyMs": mean as Any?, "peakQPS": peak, "meanQPS": meanQPS as Any?].compactMapValues { $0 }
        i["haReplicas"] = try integer("HA replicas", limits.haReplicas, optional: true)
        i["canaryPercent"] = try number("canary share (%)", limits.canaryPercent, optional: true)
        i["gpuModel"] = try model()
        i["gpus"] = try integer("GPUs", limits.gpus, optional: true, hint: "empty: estimate them from a load test")
        if i["gpus"]! == nil {
            i["loadTest"] = try ask("load-test CSV file", hint: "concurrency,p50_ms,p99_ms,qps for one GPU") { path -> Answer<[[String: Any]]> in
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .bad("cannot read \(path)") }
                do {
                    return .ok(try LoadTestRow.csv(text).map { ["concurrency": $0.concurrency, "p50Ms": $0.p50Ms, "p99Ms": $0.p99Ms, "qps": $0.qps] })
                } catch {
                    return .bad((error as? ReservoirError)?.message ?? "\(error)")
                }
            }
        }
        let batch = category == RequestCategory.offlineBatch.rawValue
        i["durationHours"] = try number("duration (hours)", limits.hours, optional: !batch, hint: batch ? nil : "empty: no fixed term")
        return i.compactMapValues { $0 }
    }

    // MARK: - Questions

    enum Answer<T> {
        case ok(T)
        case bad(String)
    }

    /// Asks until the answer parses (or, when optional, is empty: nil). Input ending is an error naming the field.
    private func ask<T>(_ label: String, hint: String? = nil, optional: Bool = false, _ parse: (String) -> Answer<T>) throws -> T? {
        while true {
            output("\(label)\(hint.map { " (\($0))" } ?? "")\(optional ? " [optional]" : ""): ")
            guard let line = input() else { throw ValidationError("the input ended before \(label) was answered") }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if answer.isEmpty {
                if optional { return nil }
                output("  \(label) is required\n")
                continue
            }
            switch parse(answer) {
            case .ok(let value): return value
            case .bad(let why): output("  \(why); try again\n")
            }
        }
    }

    private func text(_ label: String, hint: String? = nil, optional: Bool = false) throws -> String? {
        try ask(label, hint: hint, optional: optional) { line in
            do {
                try InputLimits.text(line, field: label, maxBytes: InputLimits.nameBytes)
                return .ok(line)
            } catch {
                return .bad((error as? ReservoirError)?.message ?? "\(error)")
            }
        }
    }

    private func choice(_ label: String, _ choices: [String], optional: Bool = false) throws -> String? {
        try ask(label, hint: choices.joined(separator: " | "), optional: optional) { line in
            choices.contains(line) ? .ok(line) : .bad("one of \(choices.joined(separator: ", "))")
        }
    }

    private func number(_ label: String, _ range: ClosedRange<Double>, optional: Bool = false, hint: String? = nil) throws -> Double? {
        try ask(label, hint: hint, optional: optional) { line in
            guard let v = Double(line), range.contains(v) else { return .bad("a number within \(range.lowerBound)…\(range.upperBound)") }
            return .ok(v)
        }
    }

    private func scaled(_ label: String, hint: String, _ range: ClosedRange<Double>, optional: Bool = false) throws -> Double? {
        try ask(label, hint: hint, optional: optional) { line in
            guard let v = ScaledNumber(argument: line)?.value, range.contains(v) else { return .bad("a count like 70B or 7e10, within \(range.lowerBound)…\(range.upperBound)") }
            return .ok(v)
        }
    }

    private func integer(_ label: String, _ range: ClosedRange<Int>, optional: Bool = false, hint: String? = nil) throws -> Int? {
        try ask(label, hint: hint, optional: optional) { line in
            guard let v = Int(line), range.contains(v) else { return .bad("a whole number within \(range.lowerBound)…\(range.upperBound)") }
            return .ok(v)
        }
    }

    private func model() throws -> String? {
        try ask("GPU model", hint: catalog.joined(separator: ", ")) { line in
            guard let name = catalog.first(where: { $0.caseInsensitiveCompare(line) == .orderedSame }) else { return .bad("not a catalog GPU model") }
            return .ok(name)
        }
    }
}
