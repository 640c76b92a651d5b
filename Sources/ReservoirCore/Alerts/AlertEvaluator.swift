/// What one pass changes about one alert.
public enum AlertChange: Hashable, Sendable {
    /// Its condition began to hold; stored pending (or firing at once for a rule without `for`).
    case opened(Alert)
    /// A pending alert whose condition held for its rule's `for`.
    case fired(Alert)
    /// A firing alert whose condition no longer holds (or whose subject is gone).
    case resolved(Alert)
    /// A pending alert whose condition cleared before it fired: deleted.
    case dropped(Alert)

    public var alert: Alert {
        switch self {
        case .opened(let a), .fired(let a), .resolved(let a), .dropped(let a): a
        }
    }

    /// Whether it starts or ends a firing: the changes announced through the outbox.
    public var isAnnounced: Bool {
        switch self {
        case .opened(let a): a.state == .firing
        case .fired, .resolved: true
        case .dropped: false
        }
    }
}

/// The state machine per (rule, subject): pending → firing → resolved. Pure: the open alerts and the
/// pass's observations in, the changes out; an unchanged alert is not rewritten.
public enum AlertEvaluator {
    public static func step(open: [Alert], observations: [AlertObservation], settings: AlertSettings, now: Double) -> [AlertChange] {
        let current = Dictionary(open.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [AlertChange] = []
        var seen = Set<AlertKey>()
        for observation in observations {
            let key = AlertKey(rule: observation.rule, subject: observation.subject)
            seen.insert(key)
            let existing = current[key]
            switch (existing?.state, observation.holds) {
            case (nil, true), (.resolved?, true):
                var alert = Alert(observation, at: now)
                if settings.forSeconds(observation.rule) <= 0 { fire(&alert, observation, now) }
                changes.append(.opened(alert))
            case (.pending?, true):
                guard var alert = existing, now - alert.since >= settings.forSeconds(observation.rule) else { continue }
                fire(&alert, observation, now)
                changes.append(.fired(alert))
            case (.pending?, false):
                changes.append(.dropped(existing!))
            case (.firing?, false):
                var alert = existing!
                resolve(&alert, value: observation.value, now)
                changes.append(.resolved(alert))
            case (.firing?, true), (nil, false), (.resolved?, false):
                continue
            }
        }
        // A subject no longer observed (a pool removed, its telemetry gone): its firing alert resolves,
        // its pending one is dropped.
        for alert in open.sorted(by: { $0.id < $1.id }) where !seen.contains(alert.key) {
            switch alert.state {
            case .pending: changes.append(.dropped(alert))
            case .firing:
                var resolved = alert
                resolve(&resolved, value: alert.value, now)
                changes.append(.resolved(resolved))
            case .resolved: continue
            }
        }
        return changes
    }

    private static func fire(_ alert: inout Alert, _ observation: AlertObservation, _ now: Double) {
        alert.state = .firing
        alert.firedAt = now
        alert.value = observation.value
        alert.summary = Alert.summary(observation)
    }

    private static func resolve(_ alert: inout Alert, value: Double, _ now: Double) {
        alert.state = .resolved
        alert.resolvedAt = now
        alert.value = value
    }
}
