import ReservoirCore

/// Alerts of the built-in rules.
extension Components {
    static let alerts = [alert]

    static let alert = Component("Alert", .object(
        required: [
            "id": Schema.string().described("alert-<rule>-<subject>-<start>: stable, the notices' ids are built from it"),
            "rule": .cases(AlertRule.self), "alertName": Schema.string().described("The alertname label (Alertmanager, Prometheus rules)"),
            "subject": Schema.string().described("pool:ID or tenant:ID"), "severity": .cases(AlertSeverity.self), "state": .cases(AlertState.self),
            "since": Schema.number().described("When the condition first held (Unix seconds)"),
            "value": Schema.number().described("Percent, or seconds for queue-wait, when it last changed state"), "threshold": .number(),
            "summary": .string(),
        ],
        optional: ["firedAt": .number(), "resolvedAt": .number()]))
}
