import ReservoirCore
import ReservoirServices

/// What `/console/grants/{id}` shows: the grant and its lease, its jobs and what they preempted, the
/// notices sent about it, its extensions with the queue they are judged against, and the forms the
/// caller's role allows (`GrantForms`), each re-rendered with its errors when a POST was refused.
enum GrantDetail {
    /// A refused form of the page: which one, what was typed, the errors.
    struct Failed {
        var form: String
        var values: [String: String]
        var errors: FieldErrors
        /// An error that names no field of the form (a 409: the lease ended meanwhile).
        var message: String?
    }

    /// A grant in a table row (the list) or at the top of its page.
    static func row(_ grant: Grant, used: Int, now: Double) -> [String: any Sendable] {
        [
            "id": grant.id.rawValue, "tenant": grant.tenant.rawValue, "request": grant.request.rawValue,
            "capacity": "\(ConsoleTerms.gpus(grant.gpuMilli)) × \(grant.model ?? "any GPU") on \(grant.pool)", "gpus": ConsoleTerms.gpus(grant.gpuMilli),
            "priority": grant.priority.rawValue, "category": grant.category.rawValue, "state": grant.state.rawValue,
            "starts": ConsoleFormat.time(grant.startsAt), "ends": grant.endsAt.map(ConsoleFormat.time) ?? "no fixed term",
            "left": timeLeft(grant, now: now), "used": ConsoleTerms.gpus(used),
        ]
    }

    /// Time left of the lease in words: `2 d 4 h`, `ended`, `no fixed term`, or `opens in …`.
    static func timeLeft(_ grant: Grant, now: Double) -> String {
        guard let end = grant.endsAt else { return grant.state == .active ? "no fixed term" : "–" }
        if grant.state != .active || now >= end { return "ended" }
        if now < grant.startsAt { return "opens in \(ConsoleFormat.duration(grant.startsAt - now))" }
        return ConsoleFormat.duration(end - now)
    }

    static func data(_ request: ConsoleRequest, _ id: GrantID, failed: Failed?) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let view = try reservoir.grants.grant(id, by: principal)
        let lease = try reservoir.leases.extensions(id, by: principal)
        let grant = view.grant, now = reservoir.now()
        var data = row(grant, used: view.usedGPUMilli, now: now)
        data["title"] = "Grant \(id)"
        data["approvedBy"] = grant.approvedBy
        data["access"] = grant.access.instructions
        if let emergency = grant.emergency { data["emergency"] = "\(emergency.category ?? "–"): \(emergency.description ?? "")" }
        data["jobs"] = view.jobs.map { ["id": $0.id.rawValue, "state": $0.state.rawValue, "gpus": ConsoleTerms.gpus($0.gpuMilli)] as [String: any Sendable] }
        data["hasJobs"] = !view.jobs.isEmpty
        data["preempted"] = view.preempted.map { p -> [String: any Sendable] in
            ["job": p.job?.rawValue ?? "a job of another tenant", "tenant": p.tenant?.rawValue ?? "–", "priority": p.priority.rawValue, "state": p.state.rawValue]
        }
        data["hasPreempted"] = !view.preempted.isEmpty
        let notices = try self.notices(of: grant, request)
        data["notices"] = notices
        data["hasNotices"] = !notices.isEmpty
        data["extensions"] = lease.extensions.map { e -> [String: any Sendable] in
            var shown: [String: any Sendable] = [
                "number": e.number, "days": SVG.figure(e.days), "reason": e.reason, "requestedBy": e.requestedBy.rawValue,
                "requestedAt": ConsoleFormat.time(e.requestedAt), "state": e.state.rawValue,
                "decided": e.decidedBy.map { "\($0) at \(ConsoleFormat.time(e.decidedAt ?? 0)): \(e.decisionReason ?? "")" } ?? "–",
            ]
            if e.state == .pending, lease.state == .active, request.may(.reclaim) {
                shown["decide"] = GrantForms.decideData(grant.id, number: e.number, failed: failed)
            }
            return shown
        }
        data["hasExtensions"] = !lease.extensions.isEmpty
        data["remaining"] = lease.remaining
        data["waiting"] = lease.waiting.map { w -> [String: any Sendable] in
            [
                "job": w.job?.rawValue ?? "a job of another tenant", "tenant": w.tenant?.rawValue ?? "–", "priority": w.priority.rawValue,
                "gpus": ConsoleTerms.gpus(w.gpuMilli), "waiting": ConsoleFormat.duration(w.waitingSeconds),
            ]
        }
        data["hasWaiting"] = !lease.waiting.isEmpty
        data["waitingGPUs"] = ConsoleTerms.gpus(lease.waitingGPUMilli)
        let access = reservoir.runtime.access
        let live = grant.state == .active && (grant.endsAt.map { now < $0 } ?? true)
        let holds = access.allows(principal, .holdGrants, tenant: grant.tenant)
        if live, holds, grant.endsAt != nil, lease.remaining > 0, !lease.extensions.contains(where: { $0.state == .pending }) {
            data["extend"] = GrantForms.extendData(failed: failed)
        }
        if grant.state == .active, holds { data["giveBack"] = GrantForms.returnData(failed: failed) }
        if grant.state == .active, access.allows(principal, .reclaim, tenant: grant.tenant) { data["reclaim"] = GrantForms.reclaimData(failed: failed) }
        return data
    }

    /// The notices about the grant the caller may read: its lease notices and extension decisions
    /// (ids `lease-<grant>-…`), among the latest `GrantsPages.noticeScan`.
    static func notices(of grant: Grant, _ request: ConsoleRequest) throws -> [[String: any Sendable]] {
        guard request.may(.readNotifications) else { return [] }
        let prefix = "lease-\(grant.id)-"
        var found: [[String: any Sendable]] = []
        var page = PageRequest(limit: PageRequest.maximumLimit)
        var read = 0
        while read < GrantsPages.noticeScan {
            let batch = try request.reservoir.notifications.notifications(page: page, by: request.principal)
            for notice in batch.items where notice.id.hasPrefix(prefix) {
                found.append([
                    "at": ConsoleFormat.time(notice.createdAt), "topic": notice.topic, "subject": notice.subject, "state": notice.state.rawValue,
                    "to": "\(notice.recipient.kind.rawValue) \(notice.recipient.id)",
                ])
            }
            read += batch.items.count
            guard let next = batch.next else { break }
            page.cursor = next
        }
        return found
    }

    static let template = """
        {{<layout}}{{$main}}
        <dl class="facts">
        <dt>State</dt><dd>{{state}}</dd><dt>Tenant</dt><dd>{{tenant}}</dd>
        <dt>Request</dt><dd><a href="/console/requests/{{request}}">{{request}}</a></dd>
        <dt>Capacity</dt><dd>{{capacity}}</dd><dt>GPUs</dt><dd>{{gpus}}</dd><dt>Class</dt><dd>{{priority}} ({{category}})</dd>
        <dt>Lease</dt><dd>{{starts}} → {{ends}}</dd><dt>Time left</dt><dd>{{left}}</dd>
        <dt>GPUs in use</dt><dd>{{used}}</dd><dt>Approved by</dt><dd>{{approvedBy}}</dd>
        {{#emergency}}<dt>Emergency</dt><dd>{{emergency}}</dd>{{/emergency}}
        <dt>How to use it</dt><dd><code>{{access}}</code></dd>
        </dl>
        <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs under the grant</h2>
        {{#hasJobs}}<div class="table-wrap"><table id="grant-jobs"><thead><tr><th scope="col">Job</th><th scope="col">State</th><th scope="col" class="num">GPUs</th></tr></thead>
        <tbody>{{#jobs}}<tr><th scope="row"><a href="/console/jobs/{{id}}">{{id}}</a></th><td>{{state}}</td><td class="num">{{gpus}}</td></tr>{{/jobs}}</tbody></table></div>{{/hasJobs}}
        {{^hasJobs}}<p class="empty">No job ran under it yet.</p>{{/hasJobs}}
        {{#hasPreempted}}<h3>Preempted to make room</h3><div class="table-wrap"><table id="preempted"><thead><tr><th scope="col">Job</th><th scope="col">Tenant</th><th scope="col">Class</th><th scope="col">State</th></tr></thead>
        <tbody>{{#preempted}}<tr><th scope="row">{{job}}</th><td>{{tenant}}</td><td>{{priority}}</td><td>{{state}}</td></tr>{{/preempted}}</tbody></table></div>{{/hasPreempted}}
        </section>
        <section aria-labelledby="notices-heading">
        <h2 id="notices-heading">Notices sent</h2>
        {{#hasNotices}}<div class="table-wrap"><table id="notices"><thead><tr><th scope="col">At</th><th scope="col">To</th><th scope="col">Topic</th><th scope="col">Delivery</th><th scope="col">Notice</th></tr></thead>
        <tbody>{{#notices}}<tr><th scope="row">{{at}}</th><td>{{to}}</td><td>{{topic}}</td><td>{{state}}</td><td class="wrap">{{subject}}</td></tr>{{/notices}}</tbody></table></div>{{/hasNotices}}
        {{^hasNotices}}<p class="empty">No lease notice about this grant yet.</p>{{/hasNotices}}
        </section>
        <section aria-labelledby="extensions-heading">
        <h2 id="extensions-heading">Extensions</h2>
        <p class="hint">{{remaining}} more extension(s) allowed.</p>
        {{#hasExtensions}}
        {{#extensions}}
        <article class="extension">
        <h3>Extension {{number}}: +{{days}} days · {{state}}</h3>
        <dl class="facts"><dt>Asked by</dt><dd>{{requestedBy}} at {{requestedAt}}</dd><dt>Why</dt><dd>{{reason}}</dd><dt>Decision</dt><dd>{{decided}}</dd></dl>
        {{#decide}}
        <form method="post" action="/console/grants/{{id}}/extensions/{{number}}" class="form">
        {{> csrf}}
        {{#message}}<p class="form-error" role="alert">{{message}}</p>{{/message}}
        {{#controls}}{{> control}}{{/controls}}
        <div><button type="submit">Record the decision</button></div>
        </form>
        {{/decide}}
        </article>
        {{/extensions}}
        {{/hasExtensions}}
        {{^hasExtensions}}<p class="empty">No extension asked.</p>{{/hasExtensions}}
        {{#hasWaiting}}<h3>Waiting for the same capacity ({{waitingGPUs}} GPUs)</h3><div class="table-wrap"><table id="waiting"><thead><tr><th scope="col">Job</th><th scope="col">Tenant</th><th scope="col">Class</th><th scope="col" class="num">GPUs</th><th scope="col">Waiting</th></tr></thead>
        <tbody>{{#waiting}}<tr><th scope="row">{{job}}</th><td>{{tenant}}</td><td>{{priority}}</td><td class="num">{{gpus}}</td><td>{{waiting}}</td></tr>{{/waiting}}</tbody></table></div>{{/hasWaiting}}
        {{#extend}}
        <h3>Ask for an extension</h3>
        <form method="post" action="/console/grants/{{id}}/extensions" class="form">
        {{> csrf}}
        {{#message}}<p class="form-error" role="alert">{{message}}</p>{{/message}}
        {{#controls}}{{> control}}{{/controls}}
        <div><button type="submit">Ask for the extension</button></div>
        </form>
        {{/extend}}
        </section>
        {{#giveBack}}
        <section aria-labelledby="return-heading">
        <h2 id="return-heading">Return the grant</h2>
        <form method="post" action="/console/grants/{{id}}/return" class="form">
        {{> csrf}}
        {{#message}}<p class="form-error" role="alert">{{message}}</p>{{/message}}
        {{#controls}}{{> control}}{{/controls}}
        <div><button type="submit">Return it now</button></div>
        </form>
        </section>
        {{/giveBack}}
        {{#reclaim}}
        <section aria-labelledby="reclaim-heading">
        <h2 id="reclaim-heading">Take it back (operators)</h2>
        <form method="post" action="/console/grants/{{id}}/reclaim" class="form">
        {{> csrf}}
        {{#message}}<p class="form-error" role="alert">{{message}}</p>{{/message}}
        {{#controls}}{{> control}}{{/controls}}
        <div><button type="submit">Reclaim the grant</button></div>
        </form>
        </section>
        {{/reclaim}}
        {{/main}}{{/layout}}
        """
}
