import Foundation
import ReservoirCore
import ReservoirServices

/// The intake form as the console shows it: one flat form (`kind` says whether the training or the
/// inference fields count), read into the API's `RequestForm`. Values come from a POST or — for the
/// estimator answering as one types — from the query of `GET /console/requests/new/estimate`.
struct RequestFormInput {
    /// The form's inputs (besides `csrf`); `intent` is the button pressed: `submit` or `estimate`.
    static let fields: Set<String> = [
        "tenant", "kind", "category", "department", "project", "contact", "businessGoal", "businessValue", "pool", "modelName", "gpuModel",
        "gpus", "durationHours", "modelType", "framework", "parameters", "tokens", "datasetSizeGB", "datasetType", "p99LatencyMs", "peakQPS",
        "haReplicas", "loadTest", "intent",
    ]

    /// Categories by the words the form uses (`fine-tuning`); the API's own values (`L2`) are read too.
    static let categories: [(category: RequestCategory, value: String, label: String)] = [
        (.largeModel, "large-model", "L1 large-model training (no fixed term)"), (.fineTuning, "fine-tuning", "L2 fine-tuning (a lease)"),
        (.research, "research", "Research / exploration"), (.online, "online", "Online inference service"),
        (.offlineBatch, "offline-batch", "Offline batch inference"),
    ]

    var values: [String: String]

    /// A field's value, nil when blank.
    func value(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    var kind: RequestKind? { value("kind").flatMap(RequestKind.init(rawValue:)) }

    // MARK: - Into the API's form

    /// The `RequestForm` these values say, or every value that is not even the right type (a number
    /// field with letters), named at once. Whether the form is complete is the use case's to say.
    func requestForm() throws -> RequestForm {
        var problems: [ReservoirError] = []
        func number(_ name: String) -> Double? {
            guard let text = value(name) else { return nil }
            guard let number = Double(text), number.isFinite else {
                problems.append(.invalid(name, "must be a number, not \"\(text)\""))
                return nil
            }
            return number
        }
        func whole(_ name: String) -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text) else {
                problems.append(.invalid(name, "must be a whole number, not \"\(text)\""))
                return nil
            }
            return number
        }
        var form = RequestForm()
        if let text = value("kind") {
            if let kind = RequestKind(rawValue: text) { form.kind = kind } else { problems.append(.invalid("kind", "must be training or inference")) }
        }
        if let text = value("category") {
            if let category = Self.category(text) { form.category = category } else {
                problems.append(.invalid("category", "must be one of \(Self.categories.map(\.value).joined(separator: ", "))"))
            }
        }
        form.tenant = value("tenant").map { TenantID($0) }
        form.department = value("department")
        form.project = value("project")
        form.contact = value("contact")
        form.businessGoal = value("businessGoal")
        form.businessValue = value("businessValue")
        form.pool = value("pool").map { PoolID($0) }
        let (gpus, hours) = (whole("gpus"), number("durationHours"))
        switch form.kind {
        case .training, nil:
            var details = TrainingDetails()
            details.modelName = value("modelName")
            details.modelType = value("modelType")
            details.framework = value("framework")
            details.parameters = number("parameters")
            details.tokens = number("tokens")
            details.datasetSizeGB = number("datasetSizeGB")
            details.datasetType = value("datasetType")
            details.gpuModel = value("gpuModel")
            details.gpus = gpus
            details.durationHours = hours
            if form.kind == .training { form.training = details }
        case .inference:
            var details = InferenceDetails()
            details.modelName = value("modelName")
            details.gpuModel = value("gpuModel")
            details.gpus = gpus
            details.durationHours = hours
            let (p99, peak) = (number("p99LatencyMs"), number("peakQPS"))
            if p99 != nil || peak != nil { details.sla = RequestSLA(p99LatencyMs: p99, peakQPS: peak) }
            details.haReplicas = whole("haReplicas")
            do { details.loadTest = try loadTest() } catch let error as ReservoirError { problems.append(error) } catch { problems.append(.invalid("loadTest", "\(error)")) }
            form.inference = details
        }
        try ReservoirError.throwAll(problems)
        return form
    }

    static func category(_ text: String) -> RequestCategory? {
        categories.first { $0.value == text }?.category ?? RequestCategory(rawValue: text)
    }

    /// The load test: one row a line, `concurrency p50Ms p99Ms qps` (spaces or commas); nil when blank.
    func loadTest() throws(ReservoirError) -> [LoadTestRow]? {
        guard let text = value("loadTest") else { return nil }
        var rows: [LoadTestRow] = []
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let cells = line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
            guard cells.count == 4, let concurrency = Int(cells[0]), let p50 = Double(cells[1]), let p99 = Double(cells[2]), let qps = Double(cells[3]) else {
                throw .invalid("loadTest", "line \(i + 1) must be four numbers: concurrency, p50 ms, p99 ms, QPS (got \"\(line)\")")
            }
            rows.append(LoadTestRow(concurrency: concurrency, p50Ms: p50, p99Ms: p99, qps: qps))
        }
        return rows
    }

    // MARK: - Errors onto controls

    /// The form's control for a field the use cases name: `training.gpus` → `gpus`, `inference.sla.peakQPS`
    /// → `peakQPS`, `inference.loadTest[2].qps` → `loadTest`, `inference.sla` → `p99LatencyMs`; nil for a
    /// field the form has no control for (shown above the form).
    static func control(for field: String) -> String? {
        var name = field
        for prefix in ["training.", "inference.sla.", "inference."] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
            break
        }
        if name.hasPrefix("loadTest") { return "loadTest" }
        switch name {
        case "sla": return "p99LatencyMs"
        case "model": return "gpuModel"
        case "p99Ms": return "p99LatencyMs"
        case "replicasHA": return "haReplicas"
        default: return fields.contains(name) && name != "intent" ? name : nil
        }
    }

    // MARK: - Controls

    /// The form's controls in order, in groups, with the choices the services offer this caller.
    static func groups(tenants: [TenantID]?, pools: [PoolID], models: [String]) -> [(legend: String, controls: [FormControl])] {
        var about: [FormControl] = []
        if let tenants {
            about.append(FormControl(name: "tenant", label: "Tenant", kind: .select([.init("", "Choose a tenant")] + tenants.map { FormControl.Choice($0.rawValue) }), required: true))
        }
        about += [
            FormControl(name: "kind", label: "Kind", kind: .select([.init("training", "Training"), .init("inference", "Inference")]), required: true),
            FormControl(name: "category", label: "Category", kind: .select([.init("", "Choose a category")] + categories.map { FormControl.Choice($0.value, $0.label) }), required: true),
            FormControl(name: "department", label: "Department", kind: .input(type: "text"), required: true),
            FormControl(name: "project", label: "Project", kind: .input(type: "text"), required: true),
            FormControl(name: "contact", label: "Contact", kind: .input(type: "text"), hint: "Mail, chat handle or phone.", required: true),
            FormControl(name: "businessGoal", label: "Business goal", kind: .input(type: "text"), required: true),
            FormControl(name: "businessValue", label: "Business value", kind: .input(type: "text"), required: true),
        ]
        let capacity = [
            FormControl(name: "modelName", label: "Model name", kind: .input(type: "text"), hint: "The model trained or served.", required: true),
            FormControl(name: "pool", label: "Pool", kind: .select([.init("", "Any pool with the GPU model")] + pools.map { FormControl.Choice($0.rawValue) })),
            FormControl(name: "gpuModel", label: "GPU model", kind: .select([.init("", "Choose a GPU model")] + models.map { FormControl.Choice($0) }), required: true),
            FormControl(name: "gpus", label: "GPUs", kind: .input(type: "number"), hint: "Inference: leave blank to take the estimate from the load test."),
            FormControl(name: "durationHours", label: "Duration (hours)", kind: .input(type: "number"), hint: "Blank: no fixed term (L1, online) or the full L2 lease."),
        ]
        let training = [
            FormControl(name: "modelType", label: "Model type", kind: .input(type: "text"), hint: "e.g. llm, vision, multimodal."),
            FormControl(name: "framework", label: "Framework", kind: .input(type: "text"), hint: "e.g. PyTorch."),
            FormControl(name: "parameters", label: "Parameters", kind: .input(type: "text", inputMode: "decimal"), hint: "e.g. 7e9 for 7B."),
            FormControl(name: "tokens", label: "Training tokens", kind: .input(type: "text", inputMode: "decimal"), hint: "e.g. 2e12; or give the dataset size."),
            FormControl(name: "datasetSizeGB", label: "Dataset size (GB)", kind: .input(type: "number")),
            FormControl(name: "datasetType", label: "Dataset type", kind: .input(type: "text"), hint: "e.g. text, image."),
        ]
        let inference = [
            FormControl(name: "p99LatencyMs", label: "p99 latency target (ms)", kind: .input(type: "number")),
            FormControl(name: "peakQPS", label: "Peak QPS", kind: .input(type: "number")),
            FormControl(name: "haReplicas", label: "HA replicas", kind: .input(type: "number"), hint: "Replicas beyond the peak's, for availability."),
            FormControl(name: "loadTest", label: "Load test", kind: .textarea, hint: "One row a line: concurrency, p50 ms, p99 ms, QPS per GPU."),
        ]
        return [("About the request", about), ("Capacity", capacity), ("Training", training), ("Inference", inference)]
    }
}
