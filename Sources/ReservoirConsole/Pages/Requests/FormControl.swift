import Foundation
import ReservoirCore

/// One control of a form that needs more than the kit's text `field` partial: a select filled from the
/// services (so nobody types a pool or a class by hand), a textarea, or an input with a step or a
/// numeric keyboard. Rendered by the `control` partial with the same conventions as `field`: a label, the
/// error right after the control (`<p class="field-error" id="error-NAME">`, `aria-invalid` on it).
struct FormControl {
    enum Kind {
        case input(type: String, inputMode: String? = nil)
        case select([Choice])
        case textarea
    }

    /// One option of a select.
    struct Choice {
        var value: String
        var label: String

        init(_ value: String, _ label: String? = nil) {
            self.value = value
            self.label = label ?? value
        }
    }

    var name: String
    var label: String
    var kind: Kind
    var hint: String?
    var required = false
    /// Appended to the element id, so several forms of one page (an inbox) keep their ids unique.
    var idSuffix = ""

    /// The control for the partial, showing `value` and the error `errors` place on it.
    func data(value: String?, errors: FieldErrors) -> [String: any Sendable] {
        let error = errors.message(for: name) ?? ""
        var data: [String: any Sendable] = [
            "name": name, "id": idSuffix.isEmpty ? name : "\(name)-\(idSuffix)", "label": label, "value": value ?? "",
            "required": required, "invalid": !error.isEmpty, "error": error,
        ]
        // A section shows for any value, "" included: optional keys are set only when they say something.
        if let hint { data["hint"] = hint }
        switch kind {
        case .input(let type, let inputMode):
            data["isInput"] = true
            data["type"] = type
            if let inputMode { data["inputMode"] = inputMode }
            if type == "number" { data["step"] = "any" }
        case .select(let choices):
            data["isSelect"] = true
            data["options"] = choices.map { choice -> [String: any Sendable] in
                ["value": choice.value, "label": choice.label, "selected": choice.value == (value ?? "")]
            }
        case .textarea:
            data["isTextarea"] = true
        }
        return data
    }

    /// The `control` partial (register it with the group's templates).
    static let template = """
        <div class="field{{#invalid}} invalid{{/invalid}}">
        <label for="{{id}}">{{label}}</label>
        {{#isInput}}<input id="{{id}}" name="{{name}}" type="{{type}}" value="{{value}}"{{#step}} step="{{step}}"{{/step}}{{#inputMode}} inputmode="{{inputMode}}"{{/inputMode}}{{#required}} required{{/required}}{{#invalid}} aria-invalid="true" aria-describedby="error-{{name}}"{{/invalid}}>{{/isInput}}
        {{#isSelect}}<select id="{{id}}" name="{{name}}"{{#required}} required{{/required}}{{#invalid}} aria-invalid="true" aria-describedby="error-{{name}}"{{/invalid}}>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
        {{#isTextarea}}<textarea id="{{id}}" name="{{name}}" rows="4"{{#required}} required{{/required}}{{#invalid}} aria-invalid="true" aria-describedby="error-{{name}}"{{/invalid}}>{{value}}</textarea>{{/isTextarea}}
        {{#invalid}}<p class="field-error" id="error-{{name}}">{{error}}</p>{{/invalid}}
        {{#hint}}<p class="hint">{{hint}}</p>{{/hint}}
        </div>
        """
}

/// The errors of a refused form, each on the control it names. A use case names every bad field at once
/// in one error (`ReservoirError.throwAll`: field `a, b`, message `a: …; b: …`); this splits it again and
/// maps the use case's field names (`training.gpus`, `changes.gpus`) to the form's (`gpus`), so each
/// message lands next to its control. What names no control of the form is shown above it (`unplaced`).
struct FieldErrors {
    private(set) var byControl: [String: String] = [:]
    private(set) var unplaced: [String] = []

    static let none = FieldErrors()

    private init() {}

    /// - Parameter control: the form's control for a use case's field name, nil when the form has none.
    init(_ error: ReservoirError?, control: (String) -> String?) {
        guard let error else { return }
        for (field, message) in Self.split(error) {
            if let field, let name = control(field) {
                byControl[name] = byControl[name].map { "\($0); \(message)" } ?? message
            } else {
                unplaced.append(field.map { "\($0): \(message)" } ?? message)
            }
        }
    }

    func message(for control: String) -> String? { byControl[control] }

    /// The whole refusal as lines (for an answer that is not a form, like the estimate).
    static func lines(_ error: ReservoirError) -> [String] {
        split(error).map { field, message in field.map { "\($0): \(message)" } ?? message }
    }

    /// Each problem of `error` with its field.
    static func split(_ error: ReservoirError) -> [(field: String?, message: String)] {
        guard let field = error.field else { return [(nil, error.message)] }
        let fields = field.components(separatedBy: ", ")
        guard fields.count > 1 else { return [(field, error.message)] }
        // `a: m1; b: m2`: each message runs from its field's prefix to the next field's.
        var problems: [(field: String?, message: String)] = []
        var rest = Substring(error.message)
        for (i, name) in fields.enumerated() {
            guard let start = rest.range(of: "\(name): ") else { return [(nil, error.message)] }
            let after = rest[start.upperBound...]
            let end = i + 1 < fields.count ? after.range(of: "; \(fields[i + 1]): ")?.lowerBound ?? after.endIndex : after.endIndex
            problems.append((name, String(after[..<end])))
            rest = after[end...]
        }
        return problems
    }
}
