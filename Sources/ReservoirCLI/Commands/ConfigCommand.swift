import ArgumentParser
import Foundation
import ReservoirComposition

/// `reservoir config check FILE` and `reservoir config show`: the server configuration as `serve` would
/// read it (defaults, the file, `RESERVOIR_<SECTION>_<KEY>` variables), without starting anything.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check or show the server configuration (docs/CONFIG.md).", subcommands: [Check.self, Show.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a configuration file: every unknown key and bad value is named (non-zero exit); else 'ok' and a summary.")

        @Argument(help: "The configuration file.") var file: String

        func run() throws {
            let loaded = try SettingsLoader.load(SettingsSources(file: file, environment: ProcessInfo.processInfo.environment))
            print((["ok"] + loaded.summary).joined(separator: "\n"))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration as YAML: every key, defaults included; secrets hidden.")

        @Option(help: "The configuration file (default: none, so defaults and environment only).") var config: String?

        func run() throws {
            let loaded = try SettingsLoader.load(SettingsSources(file: config, environment: ProcessInfo.processInfo.environment))
            print(try loaded.yaml(), terminator: "")
        }
    }
}
