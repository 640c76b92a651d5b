import Foundation
import ReservoirTestSupport
import Testing

/// The shared-data locator of the test kit: absent data skips outside CI and fails under CI.
@Suite("Shared data locator")
struct SharedDataTests {
    @Test func anAbsentFileSkipsOutsideCIAndFailsUnderCI() throws {
        let relative = "no/such/file-\(UUID().uuidString).csv"
        #expect(SharedData.file(relative) == nil)
        if SharedData.isCI {
            #expect(throws: SharedData.Missing.self) { try SharedData.text(relative) }
        } else {
            #expect(try SharedData.text(relative) == nil)
        }
    }

    @Test("the folder is RESERVOIR_SHARED when set, else shared/ beside the package")
    func theFolder() {
        if let root = ProcessInfo.processInfo.environment["RESERVOIR_SHARED"] {
            #expect(SharedData.directory.path == URL(fileURLWithPath: root).path)
        } else {
            // This file is <package root>/Tests/ReservoirCoreTests/SharedDataTests.swift.
            let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            #expect(SharedData.directory.standardizedFileURL == package.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL)
        }
    }
}
