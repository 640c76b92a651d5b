import Foundation
import ReservoirComposition
import Testing

/// docs/CONFIG.md cannot drift from the type: every key the settings have is in its table with its
/// environment variable, and the example file is accepted.
@Suite("Configuration docs")
struct ConfigurationDocsTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    @Test("every key of the settings type is documented in docs/CONFIG.md with its environment variable")
    func everyKeyDocumented() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/CONFIG.md"), encoding: .utf8)
        #expect(SettingsKey.all.count > 40)
        for key in SettingsKey.all {
            #expect(doc.contains("`\(key.name)`"), "docs/CONFIG.md lacks the key \(key.name)")
            #expect(doc.contains("`\(key.environmentName)`"), "docs/CONFIG.md lacks \(key.environmentName)")
        }
    }

    @Test("config/reservoir.example.yaml is accepted")
    func exampleAccepted() throws {
        let path = Self.root.appendingPathComponent("config/reservoir.example.yaml").path
        let loaded = try SettingsLoader.load(SettingsSources(file: path))
        #expect(loaded.description != nil)
    }
}
