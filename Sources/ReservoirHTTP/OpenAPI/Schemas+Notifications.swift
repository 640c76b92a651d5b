import ReservoirCore

/// Notifications from the outbox.
extension Components {
    static let notifications: [Component] = [outboxNotification, notificationRecipient]

    static let notificationRecipient = Component("NotificationRecipient", .object(
        required: ["kind": .cases(NotificationRecipient.Kind.self), "id": Schema.string().described("The user, tenant or role addressed")]))

    static let outboxNotification = Component("Notification", .object(
        required: [
            "id": Schema.string().described("Stable across retries: receivers deduplicate by it"), "recipient": notificationRecipient.ref,
            "topic": .string(), "subject": .string(), "body": Schema.string().described("JSON object with the details"),
            "createdAt": .number(), "attempts": .integer(minimum: 0), "state": .cases(NotificationState.self),
        ],
        optional: [
            "nextAttemptAt": Schema.number().described("When the next try is due (pending only)"), "deliveredAt": .number(),
            "failedAt": Schema.number().described("When it was given up"), "lastError": .string(),
        ]))
}
