import Foundation

/// A table column: its header and how one row shows in it.
struct Column<Row> {
    let header: String
    let value: (Row) -> String

    init(_ header: String, _ value: @escaping (Row) -> String) {
        self.header = header
        self.value = value
    }

    /// A field shown as it is (`CellValue`).
    init<Value: CellValue>(_ header: String, _ field: KeyPath<Row, Value>) {
        self.init(header) { $0[keyPath: field].cell }
    }

    /// A time field (Unix seconds on the wire), shown in ISO 8601.
    static func time(_ header: String, _ field: KeyPath<Row, Double?>) -> Column { Column(header) { Cell.time($0[keyPath: field]) } }
    static func time(_ header: String, _ field: KeyPath<Row, Double>) -> Column { Column(header) { Cell.time($0[keyPath: field]) } }

    /// An amount of money, shown with its currency.
    static func money(_ header: String, _ field: KeyPath<Row, Double>) -> Column { Column(header) { Cell.money($0[keyPath: field]) } }
}

/// Prints replies: as the server sent them with `--json`, otherwise decoded into the type the
/// server encodes and shown as an aligned table or text.
enum Output {
    /// A list reply as a table of `columns`.
    static func rows<Row: Decodable>(_ reply: ServerReply, json: Bool, columns: [Column<Row>]) throws {
        guard let rows = try value(of: reply, json: json, as: [Row].self) else { return }
        Swift.print(table(rows, columns: columns))
    }

    /// A reply of one object as a table of one row.
    static func row<Row: Decodable>(_ reply: ServerReply, json: Bool, columns: [Column<Row>]) throws {
        guard let row = try value(of: reply, json: json, as: Row.self) else { return }
        Swift.print(table([row], columns: columns))
    }

    /// With `--json`, prints the reply byte for byte and returns nil (the command prints nothing
    /// else); otherwise returns it decoded for the command to show.
    static func value<Value: Decodable>(of reply: ServerReply, json: Bool, as type: Value.Type) throws -> Value? {
        if json {
            Swift.print(reply.text)
            return nil
        }
        return try reply.decode(type)
    }

    static func table<Row>(_ rows: [Row], columns: [Column<Row>]) -> String {
        table(header: columns.map(\.header), rows: rows.map { row in columns.map { $0.value(row) } })
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
