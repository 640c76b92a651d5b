import ReservoirCore

/// Refuses YAML whose parse could cost far more than its size, before Yams (libyaml) sees it.
///
/// Anchors and aliases (`&name`, `*name`) are refused: a 400-byte "billion laughs" document whose
/// alias is used as a mapping key pinned a core for 12–25 s, because Yams hashes the fully expanded
/// key while it parses, and by then it is too late to stop. Job files and inventories never need
/// them. The check reads the raw text and does not try to tell strings and comments from tokens
/// (a guess about where a string ends is exactly what an attacker would exploit): any `&` or `*`
/// followed by an anchor name (letters, digits, `-`, `_`) where libyaml could start a token — line
/// start, after a blank, `[`, `{`, `,`, `:` or `?` — is refused, naming line and column. Text that
/// only looks like one (`rm *tmp`) can be sent in a JSON body instead.
///
/// The rest of a parse is linear in the text, which is bounded by `maxBytes` (512 KiB parses in about
/// 2.5 s in a debug build on a busy machine); libyaml itself stops at 1,000 levels of nesting.
public enum YAMLGuard {
    public static let maxBytes = 512 << 10

    public static func check(_ text: String) throws(ReservoirError) {
        let bytes = Array(text.utf8)
        guard bytes.count <= maxBytes else { throw .invalid("body", "YAML larger than \(maxBytes >> 10) KiB") }
        var line = 1
        var lineStart = 0
        var i = 0
        while i < bytes.count {
            if let length = lineBreak(bytes, at: i) {
                i += length
                line += 1
                lineStart = i
                continue
            }
            let c = bytes[i]
            if c == UInt8(ascii: "&") || c == UInt8(ascii: "*"), i + 1 < bytes.count, isAnchorName(bytes[i + 1]), tokenCanStart(bytes, at: i, lineStart: lineStart) {
                let kind = c == UInt8(ascii: "&") ? "anchors" : "aliases"
                throw .invalid("body", "YAML \(kind) (\(Character(Unicode.Scalar(c)))name) are not accepted: line \(line), column \(i - lineStart + 1); write the value out, or send text like this in a JSON body")
            }
            i += 1
        }
    }

    /// libyaml starts a token at a line start, after a blank (or NUL, or a byte order mark, which it
    /// skips at a line start), and right after `[`, `{`, `,`, `:` and (in flow context) `?`.
    static func tokenCanStart(_ bytes: [UInt8], at i: Int, lineStart: Int) -> Bool {
        guard i > lineStart else { return true }
        if i >= 3, bytes[(i - 3)..<i].elementsEqual([0xEF, 0xBB, 0xBF]) { return true }
        switch bytes[i - 1] {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), 0, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "?"):
            return true
        default:
            return false
        }
    }

    /// libyaml's anchor names: ASCII letters, digits, `-` and `_`.
    static func isAnchorName(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }

    /// Length of the line break at `i`, if any: LF, CR, CRLF, and the Unicode breaks libyaml also
    /// honours (NEL, LS, PS).
    static func lineBreak(_ bytes: [UInt8], at i: Int) -> Int? {
        func at(_ j: Int) -> UInt8? { j < bytes.count ? bytes[j] : nil }
        switch bytes[i] {
        case 0x0A: return 1
        case 0x0D: return at(i + 1) == 0x0A ? 2 : 1
        case 0xC2 where at(i + 1) == 0x85: return 2
        case 0xE2 where at(i + 1) == 0x80 && (at(i + 2) == 0xA8 || at(i + 2) == 0xA9): return 3
        default: return nil
        }
    }
}
