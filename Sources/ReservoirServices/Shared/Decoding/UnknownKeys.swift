import ReservoirCore

/// Turns the keys nobody asked for into one error: the first names the field, the rest are listed.
enum UnknownKeys {
    /// How many unknown keys one message lists before "and N more".
    static let listed = 5

    /// The error, and the path of the first unknown key (for its position in the text).
    static func error(in recorder: KeyRecorder) -> (error: ReservoirError, path: [any CodingKey])? {
        var found: [String] = []
        var first: (field: String, path: [any CodingKey])?
        var count = 0
        for object in recorder.objects {
            for key in object.present where !object.asked.contains(key) {
                count += 1
                guard found.count < listed else { continue }  // suggestions cost time; a body may hold thousands
                let path = object.path + [AnyKey(stringValue: key)]
                let field = DecodingErrors.path(object.path + [AnyKey(stringValue: shown(key))])
                first = first ?? (field, path)
                found.append(field + suggestion(for: key, in: object, recorder: recorder))
            }
        }
        guard let first else { return nil }
        var message = "unknown key" + (count > 1 ? "s: " : ": ") + found.joined(separator: ", ")
        if count > listed { message += " and \(count - listed) more" }
        return (.invalid(first.field, message), first.path)
    }

    /// An unknown key of the object at `path` that is a misspelling of the missing `key`, as an error.
    static func misspelling(of key: String, at path: [any CodingKey], in recorder: KeyRecorder) -> (error: ReservoirError, path: [any CodingKey])? {
        guard let object = recorder.object(at: path) else { return nil }
        let unknown = object.present.filter { !object.asked.contains($0) }
        guard let typo = unknown.first(where: { KeySuggestion.closest(to: $0, among: [key]) != nil }) else { return nil }
        return (.invalid(DecodingErrors.path(path + [AnyKey(stringValue: shown(typo))]), "unknown key (did you mean '\(key)'?)"), path + [AnyKey(stringValue: typo)])
    }

    /// ` (did you mean 'replicas'?)`: a close key of the same object, or the same key one level down
    /// (`gpus` at the top of a job belongs in `request`).
    private static func suggestion(for key: String, in object: KeyRecorder.Object, recorder: KeyRecorder) -> String {
        if let close = KeySuggestion.closest(to: key, among: object.asked.sorted()) { return " (did you mean '\(close)'?)" }
        let depth = object.path.count
        let here = DecodingErrors.path(object.path)
        for child in recorder.objects where child.path.count == depth + 1 && child.asked.contains(key) {
            if here == DecodingErrors.path(Array(child.path.prefix(depth))) {
                return " (did you mean '\(DecodingErrors.path(child.path + [AnyKey(stringValue: key)]))'?)"
            }
        }
        return ""
    }

    /// A key as messages show it: long ones cut, so a megabyte-long key is not echoed back.
    private static func shown(_ key: String) -> String {
        key.utf8.count <= 64 ? key : String(decoding: key.utf8.prefix(60), as: UTF8.self) + "…"
    }
}
