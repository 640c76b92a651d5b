import ReservoirServices

/// The health section (`health:`) is the application's `HealthPolicy`: two choices, each checked by
/// decoding (an unknown value is refused naming the key).
extension HealthPolicy: SettingsGroup {}
