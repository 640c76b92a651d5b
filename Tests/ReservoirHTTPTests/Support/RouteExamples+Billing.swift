import Foundation
import ReservoirCore
import Testing

// MARK: - Invoices, credits, balances and showback in the route example catalog

extension RouteExamples {
    /// The month before the running one (real clock, as the example servers run): over, so it is issued.
    static var lastMonth: String { ReportMonth(containing: ReportMonth(containing: Date().timeIntervalSince1970).since - 1).description }
    /// The month after the running one: not begun, so refused.
    static var nextMonth: String { ReportMonth(containing: ReportMonth(containing: Date().timeIntervalSince1970).until).description }

    static let invoices: [String: RouteExample] = [
        "GET /v1/invoices": RouteExample(
            valid: { _, t in request(.GET, "/v1/invoices?tenant=\(t)&month=\(lastMonth)") }, status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/invoices?tenant=alpha&month=2026-13"),
                ExampleFailure(400) { _ in request(.GET, "/v1/invoices?tenant=alpha&month=\(nextMonth)") },
                ExampleFailure(400, .GET, "/v1/invoices?tenant=alpha&format=pdf"),
                ExampleFailure(400, .GET, "/v1/invoices"),
                ExampleFailure(403, as: .member, .GET, "/v1/invoices?tenant=beta"),
                ExampleFailure(404, .GET, "/v1/invoices?tenant=nobody"),
            ],
            renderings: [ExampleFailure(200) { _ in request(.GET, "/v1/invoices?tenant=alpha&month=\(lastMonth)&format=csv") }]),
        "POST /v1/tenants/{id}/credits": RouteExample(
            valid: { _, t in request(.POST, "/v1/tenants/\(t)/credits", ["amount": "500.00", "note": "PO-1"]) }, status: 201,
            failures: [
                ExampleFailure(403, .POST, "/v1/tenants/alpha/credits", body: json(["amount": "5.00", "note": "an operator"])),
                ExampleFailure(403, as: .member, .POST, "/v1/tenants/alpha/credits", body: json(["amount": "5.00", "note": "mine"])),
                ExampleFailure(400, as: Caller(.finance), .POST, "/v1/tenants/alpha/credits", body: json(["amount": "-5", "note": "x"])),
                ExampleFailure(400, as: Caller(.finance), .POST, "/v1/tenants/alpha/credits", body: json(["amount": "0.001", "note": "x"])),
                ExampleFailure(400, as: Caller(.finance), .POST, "/v1/tenants/alpha/credits", body: json(["amount": "5.00"])),
                ExampleFailure(404, as: Caller(.finance), .POST, "/v1/tenants/nobody/credits", body: json(["amount": "5.00", "note": "x"])),
            ],
            caller: Caller(.finance)),
        "GET /v1/balances": RouteExample(
            valid: { _, t in request(.GET, "/v1/balances?tenant=\(t)") }, status: 200,
            failures: [ExampleFailure(403, as: .member, .GET, "/v1/balances?tenant=beta"), ExampleFailure(404, .GET, "/v1/balances?tenant=nobody")]),
        "GET /v1/showback": RouteExample(
            valid: { _, t in request(.GET, "/v1/showback?month=\(lastMonth)&tenant=\(t)") }, status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/showback?month=11-2026"), ExampleFailure(400) { _ in request(.GET, "/v1/showback?month=\(nextMonth)") },
                ExampleFailure(403, as: .member, .GET, "/v1/showback?tenant=beta"),
            ]),
    ]
}
