import ReservoirCore
import ReservoirServices

/// The billing section (`billing:`): currency, minimum billing period, discount tiers and mode, spot and
/// reserved-idle factors, zero-balance policy. Tiers must rise strictly in hours with factors in (0, 1]
/// that never rise.
extension BillingSettings: SettingsGroup {}
