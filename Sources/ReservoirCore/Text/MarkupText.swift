/// Text placed inside HTML or SVG: every renderer (the monthly report's page, the forecast chart) escapes
/// with this one function, so a tenant or job name can never open a tag or end an attribute.
public enum MarkupText {
    /// `&`, `<`, `>`, `"` and `'` as entities; everything else as it is.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
