import ReservoirCore

/// Alerts and their history (migration `v14-alerts`).
public protocol AlertReader: Sendable {
    /// Alerts pending or firing: what the next pass starts from.
    func openAlerts() throws -> [Alert]
    /// A page of alerts, newest first: in `state` if given, and still open or resolved at or after `since`.
    func alerts(state: AlertState?, since: Double?, page: PageRequest) throws -> Page<Alert>
}

public protocol AlertStore: AlertReader, NotificationStore {
    /// One pass's changes in one transaction, each with its audit entry and (firing, resolved) its
    /// notice: an alert never changes state without its notice, nor is announced twice (the notice id
    /// is the alert's id and state).
    func applyAlertChanges(_ changes: [AlertChange], by who: Attribution) throws
}
