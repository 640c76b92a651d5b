import Yams

/// The configuration as a YAML tree, where the layers meet: the defaults, then the file over them, then
/// the environment and the flags key by key. Decoding the merged tree strictly gives the settings.
struct SettingsTree {
    var root: Node

    /// The default settings as a tree.
    static func defaults() throws -> SettingsTree {
        SettingsTree(root: try Yams.compose(yaml: try YAMLEncoder().encode(ReservoirSettings())) ?? Node.mapping(.init([])))
    }

    /// `overlay` laid over this tree: mappings merge key by key, anything else in `overlay` replaces.
    mutating func merge(_ overlay: Node) {
        root = Self.merged(root, overlay)
    }

    /// Sets one key, making the mappings on its way.
    mutating func set(_ path: [String], to value: Node) {
        root = Self.setting(root, path[...], to: value)
    }

    /// The value at a key path (a list item by its index), nil when it is not there.
    func node(at path: [String]) -> Node? {
        path.reduce(root as Node?) { node, key in
            if let index = Int(key), let list = node?.sequence { return index < list.count ? list[index] : nil }
            return node?.mapping?.first { $0.key.string == key }?.value
        }
    }

    func yaml() throws -> String { try Yams.serialize(node: root) }

    private static func merged(_ base: Node, _ overlay: Node) -> Node {
        guard let baseMap = base.mapping, let overMap = overlay.mapping else { return overlay }
        var pairs = baseMap.map { ($0.key, $0.value) }
        for (key, value) in overMap {
            if let i = pairs.firstIndex(where: { $0.0.string == key.string }) {
                pairs[i].1 = merged(pairs[i].1, value)
            } else {
                pairs.append((key, value))
            }
        }
        return Node.mapping(.init(pairs))
    }

    private static func setting(_ node: Node, _ path: ArraySlice<String>, to value: Node) -> Node {
        guard let key = path.first else { return value }
        var pairs = node.mapping.map { $0.map { ($0.key, $0.value) } } ?? []
        if let i = pairs.firstIndex(where: { $0.0.string == key }) {
            pairs[i].1 = setting(pairs[i].1, path.dropFirst(), to: value)
        } else {
            pairs.append((Node(key), setting(Node.mapping(.init([])), path.dropFirst(), to: value)))
        }
        return Node.mapping(.init(pairs))
    }
}
