import ReservoirCore

/// A labelled `<select>` for an enumeration the services list (pools, models, regions, classes), so a
/// user cannot type junk; with the error of a refused question right after it, like `FormField`.
struct SelectField: Sendable {
    var name: String
    var label: String
    var options: [[String: any Sendable]]
    var error: String
    var invalid: Bool

    /// - Parameter any: the label of an empty first option ("any"), or nil when a value must be chosen.
    init(_ name: String, label: String, values: [String], chosen: String?, any: String? = nil, error: ReservoirError? = nil) {
        self.name = name
        self.label = label
        let choices = (any.map { [("", $0)] } ?? []) + values.map { ($0, $0) }
        options = choices.map { value, text in ["value": value, "label": text, "selected": value == (chosen ?? "")] }
        self.error = error?.field == name ? error?.message ?? "" : ""
        invalid = !self.error.isEmpty
    }

    /// The partial (`{{> select-field}}` inside `{{#selects}}`): the same markup as the `field` partial.
    static let template = """
        <div class="field{{#invalid}} invalid{{/invalid}}">
        <label for="{{name}}">{{label}}</label>
        <select id="{{name}}" name="{{name}}"{{#invalid}} aria-invalid="true" aria-describedby="error-{{name}}"{{/invalid}}>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>
        {{#invalid}}<p class="field-error" id="error-{{name}}">{{error}}</p>{{/invalid}}
        </div>
        """
}
