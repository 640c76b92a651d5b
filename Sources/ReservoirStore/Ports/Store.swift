import ReservoirCore

/// Everything Reservoir keeps, as one type: the composition of the narrow per-context ports below.
/// `SQLiteStore` implements all of them; each application context is handed only the ports it uses,
/// so a use case cannot reach data that is not its concern. Every write takes an `Attribution` and
/// commits the change together with its audit entry; nothing is acknowledged before it is durable.
public typealias Store = InventoryStore & TenancyStore & AccessStore & JobStore & SchedulingStore & UsageStore & ForecastStore
    & AuditStore & IdempotencyStore & DemoStore & TelemetryStore & DeviceHealthStore & ServiceStore & DeviceUtilizationReader & NotificationStore
    & RequestStore & ReclamationStore & PriceStore & InvoiceStore & AlertStore & BusinessEventStore & DurableJobWrites & ConsoleSessionStore
