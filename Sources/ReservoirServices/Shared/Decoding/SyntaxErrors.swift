import Foundation
import ReservoirCore
import Yams

/// Syntax errors as one line that says where: `malformed YAML at line 3, column 7: mapping values are not allowed here`.
enum SyntaxErrors {
    /// Foundation's JSONDecoder says only "not valid JSON"; JSONSerialization says "around character N",
    /// which becomes a line and column. Nil when the data is valid JSON (the error was about something else).
    static func json(_ data: Data) -> ReservoirError? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            guard let range = detail.range(of: " around character "),
                  let offset = Int(detail[range.upperBound...].prefix { $0.isNumber })
            else { return .invalid("body", "malformed JSON: \(detail)") }
            let (line, column) = position(ofByte: offset, in: data)
            return .invalid("body", "malformed JSON at line \(line), column \(column): \(detail[..<range.lowerBound].lowercased())")
        }
    }

    static func yaml(_ error: YamlError) -> ReservoirError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return .invalid("body", "malformed YAML at line \(mark.line), column \(mark.column): \(problem)\(while_)")
        case .reader(let problem, let offset, _, let yaml):
            guard let offset else { return .invalid("body", "malformed YAML: \(problem)") }
            let (line, column) = position(ofByte: offset, in: Data(yaml.utf8))
            return .invalid("body", "malformed YAML at line \(line), column \(column): \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .invalid(
                "body", "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in the mapping at line \(context.mark.line), column \(context.mark.column)")
        default:
            return .invalid("body", "malformed YAML: \(error)")
        }
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    static func position(ofByte offset: Int, in data: Data) -> (line: Int, column: Int) {
        let prefix = data.prefix(max(0, offset))
        let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let start = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? prefix.startIndex
        return (line, String(decoding: prefix[start...], as: UTF8.self).unicodeScalars.count + 1)
    }
}
