import Foundation
import ReservoirCore
import ReservoirServices
import Yams

/// Reads the configuration: the defaults, the file over them, then environment variables and flags key by
/// key; decodes the result strictly (an unknown key is named with the key probably meant) and checks every
/// value. All problems are reported together, each with its key and where it was set (a line of the file,
/// an environment variable, a flag).
public enum SettingsLoader {
    public static func load(_ sources: SettingsSources) throws(SettingsError) -> LoadedSettings {
        var problems: [ReservoirError] = []
        var origins: [(path: [String], origin: String)] = []
        let defaults: SettingsTree
        do {
            defaults = try SettingsTree.defaults()
        } catch {
            preconditionFailure("the default settings encode as YAML: \(error)")
        }
        var tree = defaults
        var fileText: String?
        var fileNode: Yams.Node?
        if let file = sources.file {
            do {
                let text = try readFile(file)
                try YAMLGuard.check(text)
                fileText = text
                if let node = try Yams.compose(yaml: text) {
                    guard node.mapping != nil else {
                        throw ReservoirError.invalid("file", "must be a mapping of sections (\(sections.joined(separator: ", ")), regions)")
                    }
                    fileNode = node
                    tree.merge(node)
                }
            } catch let error as YamlError {
                problems.append(aboutFile(SyntaxErrors.yaml(error)))
            } catch let error as ReservoirError {
                problems.append(aboutFile(error))
            } catch {
                problems.append(.invalid("file", "cannot read \(file): \(error.localizedDescription)"))
            }
        }
        for (name, value) in sources.environment.sorted(by: { $0.key < $1.key }) {
            guard let section = sections.first(where: { name.hasPrefix("RESERVOIR_\(SettingsKey.words($0))_") }) else { continue }
            guard let key = SettingsKey.all.first(where: { $0.environmentName == name }) else {
                let known = SettingsKey.all.filter { $0.path.first == section }.map(\.environmentName)
                problems.append(.invalid(name, "unknown setting" + (KeySuggestion.closest(to: name, among: known).map { " (did you mean \($0)?)" } ?? "")))
                continue
            }
            apply(value, to: key.path, origin: "from \(name)", defaults: defaults, tree: &tree, origins: &origins, problems: &problems)
        }
        for flag in sources.flags {
            apply(flag.value, to: flag.key.split(separator: ".").map(String.init), origin: "from \(flag.flag)", defaults: defaults, tree: &tree, origins: &origins, problems: &problems)
        }

        /// Where a key was set: the layer that set it last, else its line in the file; nothing for a default.
        func locate(_ path: [String]) -> String? {
            if let set = origins.last(where: { path.starts(with: $0.path) }) { return set.origin }
            guard let fileText, let fileNode, exists(path, in: fileNode) else { return nil }
            return YAMLPosition.of(path.map { PathKey($0) }, in: fileText).map { "\(sources.file ?? "file"), \($0)" }
        }

        var settings: ReservoirSettings?
        do {
            let decoded = try BodyDecoding.yamlListingUnknownKeys(ReservoirSettings.self, from: try tree.yaml()) { locate($0.map(PathKey.component)) }
            settings = decoded.value
            problems += decoded.unknownKeys
        } catch let error as ReservoirError {
            problems.append(error)
        } catch {
            problems.append(.invalid("file", "\(error)"))
        }
        problems += (settings?.problems() ?? []).map { problem in
            guard let field = problem.field, let position = locate(PathKey.components(field)) else { return problem }
            return ReservoirError(problem.code, field: field, "\(problem.message) (\(position))")
        }
        var description: ClusterDescriptionText?
        if let regions = tree.value(of: "regions"), !problems.contains(where: { $0.field?.hasPrefix("regions") == true }) {
            do {
                description = try checkedDescription(regions)
            } catch let error as ReservoirError {
                problems.append(error)
            } catch {
                problems.append(.invalid("regions", "\(error)"))
            }
        }
        guard let settings, problems.isEmpty else {
            throw SettingsError(source: sources.file ?? "the configuration", problems: problems.map { "\($0.field ?? "file"): \($0.message)" })
        }
        return LoadedSettings(settings: settings, description: description)
    }

    /// The top-level sections (`server`, `engines`, `scheduler`, `planning`).
    static var sections: [String] {
        SettingsKey.all.reduce(into: []) { found, key in if !found.contains(key.path[0]) { found.append(key.path[0]) } }
    }

    /// Sets one key from an environment variable or a flag. A text key takes the text as it is (a path
    /// with `: ` in it stays a path); any other is read as YAML (`0.5`, `true`, `[0.6, 0.7]`, `{…}`).
    private static func apply(
        _ text: String, to path: [String], origin: String, defaults: SettingsTree, tree: inout SettingsTree,
        origins: inout [(path: [String], origin: String)], problems: inout [ReservoirError]
    ) {
        do {
            let isText = defaults.node(at: path)?.tag == Tag(.str)
            tree.set(path, to: isText ? Yams.Node(text, Tag(.str)) : try Yams.compose(yaml: text) ?? Yams.Node(""))
            origins.append((path, origin))
        } catch let error as YamlError {
            let syntax = SyntaxErrors.yaml(error)
            problems.append(.invalid(path.joined(separator: "."), "\(syntax.message) (\(origin))"))
        } catch {
            problems.append(.invalid(path.joined(separator: "."), "\(error) (\(origin))"))
        }
    }

    /// The cluster description part of the file, checked as `reservoir import` checks one.
    private static func checkedDescription(_ regions: Yams.Node) throws -> ClusterDescriptionText {
        let yaml = try Yams.serialize(node: Yams.Node.mapping(.init([(Yams.Node("regions"), regions)])))
        let description = try ClusterDescription.parse(yaml: yaml)
        let slurm = try description.slurmClusters()
        for cluster in slurm {
            for (pool, mode) in [(nil as String?, cluster.slurm.placement)] + cluster.placement.map({ ($0.key.rawValue, Optional($0.value)) }) {
                guard let mode, !["reservoir", "slurm"].contains(mode) else { continue }
                let field = pool.map { "pools.\($0).placement" } ?? "clusters.\(cluster.cluster).slurm.placement"
                throw ReservoirError.invalid(field, "'\(mode)' is not valid; expected one of: reservoir, slurm")
            }
        }
        let clusters = description.regions.flatMap(\.clusters)
        return ClusterDescriptionText(yaml: yaml, clusters: clusters.count, pools: clusters.map(\.pools.count).reduce(0, +), slurmClusters: slurm.count)
    }

    /// Errors about the whole text (syntax, size) name the file, not an API body.
    private static func aboutFile(_ error: ReservoirError) -> ReservoirError {
        error.field == "body" ? ReservoirError(error.code, field: "file", error.message) : error
    }

    private static func readFile(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ReservoirError.invalid("file", "cannot read \(path): no such file, or not UTF-8 text")
        }
    }

    private static func exists(_ path: [String], in node: Yams.Node) -> Bool {
        var node = node
        for key in path {
            if let index = Int(key), let list = node.sequence, index < list.count {
                node = list[index]
            } else if let next = node.mapping?.first(where: { $0.key.string == key })?.value {
                node = next
            } else {
                return false
            }
        }
        return true
    }
}

/// A key of a path, for `YAMLPosition` (a list index is an int key).
private struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
    init(_ component: String) {
        stringValue = component
        intValue = Int(component)
    }

    static func component(_ key: any CodingKey) -> String { key.intValue.map(String.init) ?? key.stringValue }

    /// `planning.offers[0].gpus` → `planning`, `offers`, `0`, `gpus`.
    static func components(_ field: String) -> [String] {
        field.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "").split(separator: ".").map(String.init)
    }
}
