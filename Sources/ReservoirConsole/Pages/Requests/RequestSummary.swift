import Foundation
import ReservoirCore
import ReservoirServices

/// A request in the words every requests page uses (the list, the inbox, the request's own page): what
/// it asks, where it stands, who must decide by when.
enum RequestSummary {
    static func row(_ view: RequestView) -> [String: any Sendable] {
        let request = view.request
        var row: [String: any Sendable] = [
            "id": request.id.rawValue, "tenant": request.tenant.rawValue, "applicant": request.applicant.rawValue,
            "kind": request.form.kind?.rawValue ?? "–", "category": request.form.category?.rawValue ?? "–",
            "project": request.form.project ?? "–", "asks": ConsoleTerms.text(request.asked), "state": request.state.rawValue,
            "submitted": ConsoleFormat.time(request.submittedAt), "overdue": view.overdue,
        ]
        // Sections render for any value, "" included: what a request lacks is left out.
        if let estimate = request.estimate { row["estimate"] = estimate.summary }
        if let feasibility = request.feasibility {
            row["verdict"] = feasibility.verdict.rawValue
            row["feasibility"] = feasibility.message
        }
        if let approved = request.approved { row["approved"] = ConsoleTerms.text(approved) }
        if let grant = request.grant { row["grant"] = grant.rawValue }
        if let routing = request.routing {
            var shown: [String: any Sendable] = [
                "tier": routing.tier.rawValue, "reviewers": routing.reviewers.isEmpty ? "nobody yet" : routing.reviewers.map(\.rawValue).joined(separator: ", "),
                "required": routing.requiredApprovals, "due": ConsoleFormat.time(routing.dueAt), "reason": routing.reason,
            ]
            if let escalated = routing.escalatedAt {
                shown["escalated"] = "from \(routing.escalatedFrom?.rawValue ?? "–") at \(ConsoleFormat.time(escalated))"
            }
            row["routing"] = shown
        }
        return row
    }

    /// The state filter's choices (any, then every state).
    static func stateChoices(_ selected: String?) -> [[String: any Sendable]] {
        [["value": "", "label": "Any state", "selected": selected == nil] as [String: any Sendable]]
            + RequestState.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": selected == $0.rawValue] as [String: any Sendable] }
    }

    /// A "Next page" link: the same path and filters with the page's cursor.
    static func nextLink(_ path: String, _ filters: [(String, String?)], next: Cursor?) -> String? {
        guard let next else { return nil }
        let query = (filters.compactMap { name, value in value.map { (name, $0) } } + [("cursor", next.description)])
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return "\(path)?\(query)"
    }
}
