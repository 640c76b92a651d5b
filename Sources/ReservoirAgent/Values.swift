import Foundation

/// Reading nvidia-smi's values: numbers with units (`81559 MiB`, `100 %`, `69.85 W`, `41 C`) and the
/// ways it says "nothing" (`N/A`, `[N/A]`, `[Not Supported]`, `Requested functionality has been deprecated`).
enum Values {
    /// The number at the start of `text`, units dropped; nil for `N/A` and the like.
    static func number(_ text: String?) -> Double? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let head = text.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }
        guard !head.isEmpty, let value = Double(head), value.isFinite else { return nil }
        return value
    }

    static func integer(_ text: String?) -> Int? {
        guard let value = number(text), value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// `Enabled`/`Disabled` (any case); nil for anything else (`N/A`).
    static func flag(_ text: String?) -> Bool? {
        switch text?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "enabled": true
        case "disabled": false
        default: nil
        }
    }

    /// The text, or nil when it is one of nvidia-smi's "no value" spellings.
    static func text(_ text: String?) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        let bare = t.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return ["N/A", "Not Supported", "Unknown Error"].contains(bare) ? nil : t
    }
}
