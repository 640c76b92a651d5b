import Foundation
import ReservoirCore
import ReservoirServices

/// The submission form (`/console/jobs/new`, `POST /console/jobs`): the fields of a `JobSubmission` a person
/// fills in — tenant (operators; a member's jobs are its tenant's), pool, kind, GPU model, count or share,
/// replicas, priority class, runtime and a command — turned into the same submission the API decodes.
struct JobForm {
    /// The form's inputs (besides `csrf`).
    static let fields: Set<String> = ["tenant", "name", "pool", "kind", "model", "gpus", "share", "replicas", "priority", "runtimeMinutes", "script"]

    let request: ConsoleRequest
    /// What was typed (a POST), or nothing yet (a GET: the defaults show).
    let values: [String: String]
    /// Whether the user may submit for any tenant (operators), so the form asks which.
    let choosesTenant: Bool

    init(_ request: ConsoleRequest) {
        self.request = request
        values = request.form.all
        choosesTenant = request.reservoir.runtime.access.scope(request.principal, .submitJobs) == .anyTenant
    }

    private func value(_ name: String, default fallback: String = "") -> String {
        values.isEmpty ? fallback : values[name]?.trimmingCharacters(in: .whitespaces) ?? ""
    }

    /// The page's data: every field with its value and, after a failed POST, the error next to the field it names.
    func data(error: ReservoirError?) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let pools = try reservoir.inventory.poolViews(by: principal).map(\.id).sorted()
        let models = try reservoir.inventory.catalog(by: principal).models.filter { $0.kind != .cpu }.map(\.name)
        var classes = PriorityClass.allCases
        if !request.may(.raiseToP0) { classes.removeAll { $0 == .p0 } }

        var entries: [[String: any Sendable]] = []
        if choosesTenant {
            let tenants = try Page.all { try reservoir.tenancy.listTenants(page: $0, by: principal) }.map(\.id.rawValue).sorted()
            entries.append(FormEntry.choice(ChoiceField(
                "tenant", label: "Tenant", choices: [("", "Choose a tenant")] + tenants.map { ($0, $0) }, selected: value("tenant"),
                hint: "Operators submit on a tenant's behalf; its quota and bill take the job.", error: error)))
        }
        entries += [
            FormEntry.input(FormField("name", label: "Name", value: value("name"), required: true, error: error)),
            FormEntry.choice(ChoiceField(
                "pool", label: "Pool", choices: [("", "The tenant's default pool")] + pools.map { ($0, $0) }, selected: value("pool"),
                hint: "Empty: the first pool where the tenant holds a quota.", error: error)),
            FormEntry.choice(ChoiceField(
                "kind", label: "Kind of work", choices: WorkloadKind.allCases.map { ($0.rawValue, $0.rawValue) },
                selected: value("kind", default: WorkloadKind.training.rawValue), error: error)),
            FormEntry.choice(ChoiceField(
                "model", label: "GPU model", choices: [("", "Any model in the pool")] + models.map { ($0, $0) }, selected: value("model"),
                error: error, apiFields: ["request.models"])),
            FormEntry.input(FormField(
                "gpus", label: "GPUs per replica", type: "number", value: value("gpus", default: "1"), required: true, error: error,
                apiFields: ["request.gpus", "request"])),
            FormEntry.input(FormField(
                "share", label: "Share of one GPU (thousandths)", type: "number", value: value("share"),
                hint: "For a fractional GPU in a time-slicing pool: 1–999 with 1 GPU per replica. Empty: whole GPUs.", error: error,
                apiFields: ["request.gpuMilli", "request.gpuMemoryMiB"])),
            FormEntry.input(FormField("replicas", label: "Replicas", type: "number", value: value("replicas", default: "1"), error: error, apiFields: ["minMembers"])),
            FormEntry.choice(ChoiceField(
                "priority", label: "Priority class", choices: classes.map { ($0.rawValue, "\($0.rawValue) — \($0.title)") },
                selected: value("priority", default: PriorityClass.p2.rawValue), error: error, apiFields: ["preemptible"])),
            FormEntry.input(FormField(
                "runtimeMinutes", label: "Runtime (minutes)", type: "number", value: value("runtimeMinutes"),
                hint: "How long the job runs; backfill plans with it. Empty: until it ends by itself.", error: error, apiFields: ["runtimeSeconds"])),
            FormEntry.input(FormField(
                "script", label: "Command (optional)", value: value("script"),
                hint: "A shell command or script to run, e.g. python train.py --epochs 3. Empty: the job only holds its GPUs.",
                error: error, apiFields: ["command", "args", "env"])),
        ]
        var data: [String: any Sendable] = ["fields": entries]
        if !choosesTenant { data["tenantNote"] = principal.tenant.map { "The job goes to tenant \($0)." } ?? "You belong to no tenant." }
        if let error, !FormEntry.showsError(entries) { data["formError"] = error.message }
        return data
    }

    /// The submission as the API would receive it; a field that is not a number is refused naming it.
    func submission() throws -> JobSubmission {
        let form = request.form
        var job: [String: Any] = ["name": try form.required("name")]
        var ask: [String: Any] = [:]
        ask["gpus"] = try form.int("gpus") ?? 1
        if let share = try form.int("share") { ask["gpuMilli"] = share }
        if let model = form.value("model") { ask["models"] = model }
        job["request"] = ask
        if choosesTenant { job["tenant"] = try form.required("tenant") }
        if let pool = form.value("pool") { job["pool"] = pool }
        if let kind = form.value("kind") { job["kind"] = kind }
        if let replicas = try form.int("replicas") { job["replicas"] = replicas }
        if let priority = form.value("priority") { job["priority"] = priority }
        if let minutes = try form.double("runtimeMinutes") { job["runtimeSeconds"] = minutes * 60 }
        if let script = form.value("script") { job["script"] = script }
        do {
            return try JSONDecoder().decode(JobSubmission.self, from: try JSONSerialization.data(withJSONObject: job))
        } catch {
            // Only a select sent a value outside its options (a crafted form): name the kind or class.
            throw ReservoirError.invalid(form.value("kind").flatMap { WorkloadKind(rawValue: $0) } == nil ? "kind" : "priority", "is not one of the choices")
        }
    }
}
