import Foundation
import ReservoirCore
import ReservoirServices
import Yams

/// The layers of a configuration laid one over the other (defaults, file, environment, flags), with
/// where each key came from and every problem met on the way.
struct SettingsLayers {
    private let defaults: SettingsTree
    private(set) var tree: SettingsTree
    private(set) var problems: [ReservoirError] = []
    /// Keys set by a variable or a flag, latest last, with the words that say so (`from --policy`).
    private var origins: [(path: [String], origin: String)] = []
    private var file: (name: String, text: String, tree: SettingsTree)?

    init() {
        do {
            defaults = try SettingsTree.defaults()
        } catch {
            preconditionFailure("the default settings encode as YAML: \(error)")
        }
        tree = defaults
    }

    /// The file over the defaults; a file that cannot be read, or is not YAML, is a problem.
    mutating func read(file path: String) {
        do {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ReservoirError.invalid("file", "cannot read \(path): no such file, or not UTF-8 text")
            }
            try YAMLGuard.check(text)
            guard let node = try Yams.compose(yaml: text) else { return }
            guard node.mapping != nil else {
                throw ReservoirError.invalid("file", "must be a mapping of sections (\(SettingsKey.sections.joined(separator: ", ")), regions)")
            }
            file = (path, text, SettingsTree(root: node))
            tree.merge(node)
        } catch let error as YamlError {
            problems.append(Self.aboutFile(SyntaxErrors.yaml(error)))
        } catch let error as ReservoirError {
            problems.append(Self.aboutFile(error))
        } catch {
            problems.append(.invalid("file", "\(path): \(error)"))
        }
    }

    /// `RESERVOIR_<SECTION>_<KEY>` variables over the file. Other `RESERVOIR_` variables are not settings;
    /// an unknown one with a section's prefix is a problem, named with the variable probably meant.
    mutating func apply(environment: [String: String]) {
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            guard let section = SettingsKey.sections.first(where: { name.hasPrefix("RESERVOIR_\(SettingsKey.words($0))_") }) else { continue }
            guard let key = SettingsKey.all.first(where: { $0.environmentName == name }) else {
                let known = SettingsKey.all.filter { $0.path.first == section }.map(\.environmentName)
                problems.append(.invalid(name, "unknown setting" + (KeySuggestion.closest(to: name, among: known).map { " (did you mean \($0)?)" } ?? "")))
                continue
            }
            set(key.path, to: value, origin: "from \(name)")
        }
    }

    /// Flags over everything.
    mutating func apply(flags: [FlagOverride]) {
        for flag in flags { set(flag.key.split(separator: ".").map(String.init), to: flag.value, origin: "from \(flag.flag)") }
    }

    /// The settings the layers make, decoded strictly and checked; nil when they cannot be decoded. Unknown
    /// keys and bad values are added to `problems`, each saying where it was set.
    mutating func decode() -> ReservoirSettings? {
        do {
            let decoded = try BodyDecoding.yamlListingUnknownKeys(ReservoirSettings.self, from: try tree.yaml()) { path in
                locate(path.map { $0.intValue.map(String.init) ?? $0.stringValue })
            }
            problems += decoded.unknownKeys
            problems += decoded.value.problems().map { problem in
                guard let field = problem.field, let position = locate(PathKey.components(field)) else { return problem }
                return ReservoirError(problem.code, field: field, "\(problem.message) (\(position))")
            }
            return decoded.value
        } catch let error as ReservoirError {
            problems.append(error)
        } catch {
            problems.append(.invalid("file", "\(error)"))
        }
        return nil
    }

    mutating func add(_ problem: ReservoirError) { problems.append(problem) }

    /// Where a key was set: the layer that set it last, else its line in the file; nothing for a default.
    private func locate(_ path: [String]) -> String? {
        if let set = origins.last(where: { path.starts(with: $0.path) }) { return set.origin }
        guard let file, file.tree.node(at: path) != nil else { return nil }
        return YAMLPosition.of(path.map(PathKey.init(component:)), in: file.text).map { "\(file.name), \($0)" }
    }

    /// Sets one key from a variable or a flag. A text key takes the text as it is (a path with `: ` in it
    /// stays a path); any other reads it as YAML (`0.5`, `true`, `[0.6, 0.7]`, `{…}`).
    private mutating func set(_ path: [String], to text: String, origin: String) {
        do {
            let isText = defaults.node(at: path)?.tag == Tag(.str)
            tree.set(path, to: isText ? Yams.Node(text, Tag(.str)) : try Yams.compose(yaml: text) ?? Yams.Node(""))
            origins.append((path, origin))
        } catch let error as YamlError {
            problems.append(.invalid(path.joined(separator: "."), "\(SyntaxErrors.yaml(error).message) (\(origin))"))
        } catch {
            problems.append(.invalid(path.joined(separator: "."), "\(error) (\(origin))"))
        }
    }

    /// Errors about the whole text (syntax, size) name the file, not an API body.
    private static func aboutFile(_ error: ReservoirError) -> ReservoirError {
        error.field == "body" ? ReservoirError(error.code, field: "file", error.message) : error
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
    init(component: String) {
        stringValue = component
        intValue = Int(component)
    }

    /// `planning.offers[0].gpus` → `planning`, `offers`, `0`, `gpus`.
    static func components(_ field: String) -> [String] {
        field.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "").split(separator: ".").map(String.init)
    }
}
