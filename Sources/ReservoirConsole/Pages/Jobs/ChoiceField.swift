import ReservoirCore

/// A `<select>` of a form, ready for the `control` partial (`FormControl.template`, one select markup for every form): label, options (one selected), and the error
/// of a failed POST right after it, as `FormField` does for inputs. Enumerations (pools, models, classes,
/// states) are chosen, never typed, so a form cannot send a value the services do not know.
struct ChoiceField: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    var name: String
    /// The element id and the partial's switch to its `<select>` (stored: templates read stored properties).
    var id: String
    let isSelect = true
    var label: String
    var options: [Option]
    var error: String
    var invalid: Bool
    var hint: String?

    /// - Parameters:
    ///   - choices: (value, label) pairs in the order shown; the one equal to `selected` is selected.
    ///   - apiFields: the names the use cases give this field in their errors (besides its own).
    init(
        _ name: String, label: String, choices: [(String, String)], selected: String?, hint: String? = nil,
        error: ReservoirError? = nil, apiFields: [String] = []
    ) {
        self.name = name
        self.id = name
        self.label = label
        self.options = choices.map { Option(value: $0.0, label: $0.1, selected: $0.0 == (selected ?? "")) }
        self.hint = hint
        if let error, let field = error.field, ([name] + apiFields).contains(field) {
            self.error = error.message
        } else {
            self.error = ""
        }
        invalid = !self.error.isEmpty
    }
}

/// One entry of a form's field list: an input or a select, in the order the form shows them
/// (`{{#fields}}{{#input}}{{> field}}{{/input}}{{#choice}}{{> control}}{{/choice}}{{/fields}}`).
enum FormEntry {
    static func input(_ field: FormField) -> [String: any Sendable] { ["input": field] }
    static func choice(_ field: ChoiceField) -> [String: any Sendable] { ["choice": field] }

    /// Whether any entry shows an error (else a form-level message shows it).
    static func showsError(_ entries: [[String: any Sendable]]) -> Bool {
        entries.contains { entry in
            (entry["input"] as? FormField)?.invalid == true || (entry["choice"] as? ChoiceField)?.invalid == true
        }
    }
}
