import Yams

/// Where a field sits in YAML text, so an error says `line 4, column 3` as well as `request.gpus`.
enum YAMLPosition {
    /// `line L, column C` of the key (in a mapping) or item (in a list) the path ends at; nil when it is not there.
    static func of(_ path: [any CodingKey], in yaml: String) -> String? {
        guard !path.isEmpty, var node = try? Yams.compose(yaml: yaml) else { return nil }
        var mark = node.mark
        for key in path {
            if let index = key.intValue, let list = node.sequence, index < list.count {
                node = list[index]
                mark = node.mark
            } else if let map = node.mapping, let pair = map.first(where: { $0.key.string == key.stringValue }) {
                mark = pair.key.mark
                node = pair.value
            } else {
                break
            }
        }
        return mark.map { "line \($0.line), column \($0.column)" }
    }
}
