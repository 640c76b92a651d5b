import Foundation
import ReservoirComposition
import ReservoirCore
import ReservoirServices
import Testing

/// The `billing:` section: exact factors from the file, and tiers out of order refused at load naming the key.
@Suite("Billing settings")
struct BillingSettingsTests {
    @Test func theFileSetsTiersAndFactorsAsExactDecimals() throws {
        let path = try SettingsLoaderTests.file("""
            billing:
              currency: EUR
              discountMode: whole
              discountTiers: [{minHours: 50, factor: 0.95}, {minHours: 200, factor: 0.85}]
              spotFactor: 0.3
              zeroBalance: block
            """)
        let billing = try SettingsLoader.load(SettingsSources(file: path)).settings.billing
        #expect(billing.rules.discountTiers == [DiscountTier(minHours: 50, factor: Decimal(string: "0.95")!), DiscountTier(minHours: 200, factor: Decimal(string: "0.85")!)])
        #expect(billing.rules.spotFactor == Decimal(string: "0.3")! && billing.rules.currency == "EUR" && billing.rules.discountMode == .whole)
        #expect(billing.zeroBalance == .block && billing.minimumBillingSeconds == 60)
        #expect(try SettingsLoader.load(SettingsSources()).settings.billing.rules == BillingRules())
    }

    @Test func theEnvironmentSetsTiersAsAYAMLList() throws {
        let billing = try SettingsLoader.load(SettingsSources(environment: ["RESERVOIR_BILLING_DISCOUNT_TIERS": "[{minHours: 10, factor: 0.5}]"])).settings.billing
        #expect(billing.rules.discountTiers == [DiscountTier(minHours: 10, factor: Decimal(string: "0.5")!)])
    }

    @Test func tiersOutOfOrderAreAConfigErrorNamingTheKey() throws {
        let path = try SettingsLoaderTests.file("""
            billing:
              discountTiers: [{minHours: 500, factor: 0.8}, {minHours: 100, factor: 0.9}]
              reservedIdleFactor: 1.5
            """)
        let problems = SettingsLoaderTests.problems(SettingsSources(file: path))
        #expect(problems.contains { $0.hasPrefix("billing.discountTiers[1].minHours") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("billing.discountTiers[1].factor") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("billing.reservedIdleFactor") }, "\(problems)")
    }
}
