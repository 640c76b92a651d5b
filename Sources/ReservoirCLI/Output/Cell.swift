/// How a table shows one JSON value. Reservoir's JSON names times `at`, `…At`, `since`, `until`
/// (Unix seconds) and money `cost`, `…Cost`, `price…`; tables show those as ISO 8601 and with the
/// currency, so every command's table reads the same. `--json` prints the API's numbers untouched.
enum Cell {
    static func render(_ value: JSONValue?, key: String) -> String {
        guard let value else { return "-" }
        guard case .number(let n) = value else { return value.rendered }
        if isTime(key) { return Timestamp.iso(n) }
        if isMoney(key) { return Money.format(n) }
        return value.rendered
    }

    /// The last component of a dotted path (`request.gpus` → `gpus`), which decides the format.
    static func key(of path: String) -> String { path.split(separator: ".").last.map(String.init) ?? path }

    static func isTime(_ key: String) -> Bool { key == "at" || key == "since" || key == "until" || key.hasSuffix("At") }

    static func isMoney(_ key: String) -> Bool { key == "cost" || key.hasSuffix("Cost") || key.hasPrefix("price") }
}
