import ReservoirCore

extension DemoContext {
    /// A known promotion on the demo's A100-80GBs (every pool holding them) from three days ahead for two
    /// days, so `reservoir events list`, `reservoir forecast series --model A100-80GB` and
    /// `reservoir plan capacity` show an event included on day one.
    func seedEvents(by principal: Principal) throws {
        let today = (clock() / 86_400).rounded(.down) * 86_400
        _ = try planning.registerEvent(BusinessEventInput(
            name: "11.11 promotion", kind: .promotion, start: today + 3 * 86_400, end: today + 5 * 86_400, uplift: 0.6, models: ["A100-80GB"],
            note: "demo: inference traffic of the shopping festival, +60 % expected"), by: principal)
    }
}
