/// Where settings come from. Precedence, lowest first: defaults < the file < environment variables
/// (`RESERVOIR_<SECTION>_<KEY>`) < command-line flags.
public struct SettingsSources: Sendable {
    /// The configuration file's path; nil: defaults, environment and flags only.
    public var file: String?
    /// The process environment (only `RESERVOIR_<SECTION>_…` variables are read).
    public var environment: [String: String]
    /// Flags given on the command line, each setting one key.
    public var flags: [FlagOverride]

    public init(file: String? = nil, environment: [String: String] = [:], flags: [FlagOverride] = []) {
        self.file = file
        self.environment = environment
        self.flags = flags
    }
}

/// One flag that sets one key: `--policy fgd` is `scheduler.placementPolicy: fgd`.
public struct FlagOverride: Sendable {
    /// The key as docs/CONFIG.md writes it (`scheduler.placementPolicy`).
    public var key: String
    /// The value as typed (`fgd`, `/data`, `0.5`, `true`).
    public var value: String
    /// The flag as the user typed it, for error messages.
    public var flag: String

    public init(key: String, value: String, flag: String) {
        self.key = key
        self.value = value
        self.flag = flag
    }
}

/// What the configuration holds once every layer is applied and checked.
public struct LoadedSettings: Sendable {
    public var settings: ReservoirSettings
    /// The cluster description in the file (`regions:`), checked against its limits; nil: none.
    public var description: ClusterDescriptionText?
}

/// A cluster description as checked and as text (the import takes the text, as `reservoir import` does).
public struct ClusterDescriptionText: Sendable {
    public var yaml: String
    public var clusters: Int
    public var pools: Int
    public var slurmClusters: Int
}

/// Everything wrong with a configuration, each problem naming its key (and where it was set).
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    /// The file, or "the configuration" when there is none.
    public var source: String
    public var problems: [String]

    public var description: String {
        "\(source): \(problems.count) problem\(problems.count == 1 ? "" : "s")\n" + problems.map { "  " + $0 }.joined(separator: "\n")
    }
}
