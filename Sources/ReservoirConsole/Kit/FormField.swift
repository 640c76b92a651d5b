import ReservoirCore

/// One input of a form, ready for the `field` partial: label, input, and the error of a failed POST right
/// after it (`<p class="field-error" id="error-NAME">`, with `aria-invalid` on the input). Build it from the
/// `ReservoirError` a use case threw: the error lands on the field whose `apiFields` include the error's field.
public struct FormField: Sendable {
    public var name: String
    public var label: String
    public var type: String
    public var value: String
    public var error: String
    public var hint: String?
    public var required: Bool
    /// The browser's autofill hint (`current-password`, `off`, …); nil: none.
    public var autocomplete: String?
    /// Whether there is an error to show (stored, so the template sees it).
    public var invalid: Bool

    /// - Parameters:
    ///   - apiFields: the names the use cases give this input in their errors (e.g. `request.gpus` for the
    ///     form's `gpus`); the field's own name always counts.
    public init(
        _ name: String, label: String, type: String = "text", value: String? = nil, hint: String? = nil, required: Bool = false,
        autocomplete: String? = nil, error: ReservoirError? = nil, apiFields: [String] = []
    ) {
        self.autocomplete = autocomplete
        self.name = name
        self.label = label
        self.type = type
        self.value = value ?? ""
        self.hint = hint
        self.required = required
        if let error, let field = error.field, ([name] + apiFields).contains(field) {
            self.error = error.message
        } else {
            self.error = ""
        }
        invalid = !self.error.isEmpty
    }

    /// The message of `error` that no field of `fields` shows (for `{{> form-error}}` above the form, key
    /// `formError`), or nil when a field shows it or there is none.
    public static func formError(_ error: ReservoirError?, shownBy fields: [FormField]) -> String? {
        guard let error, !fields.contains(where: \.invalid) else { return nil }
        return error.message
    }
}
