import Foundation
import Testing

@Suite struct OpenbDataTests {
    /// On CI the data must be there; locally its absence only skips the trace tests.
    @Test func dataPresentOnCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(OpenbData.available, "CI is set but \(OpenbData.missing)")
        }
    }
}
