import Foundation

/// Renders API JSON as an aligned table (the default) or passes it through (`--json`).
enum Output {
    /// A column: header and a dotted path into each JSON object (`request.gpus`).
    typealias Column = (header: String, path: String)

    static func print(_ data: Data, json: Bool, columns: [Column]) throws {
        if json {
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        let value = try JSONDecoder().decode(JSONValue.self, from: data)
        let rows: [JSONValue]
        if case .array(let a) = value { rows = a } else { rows = [value] }
        let cells = rows.map { row in columns.map { row[$0.path]?.rendered ?? "-" } }
        Swift.print(table(header: columns.map(\.header), rows: cells))
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header.map { $0.uppercased() })] + rows.map(line)).joined(separator: "\n")
    }
}
