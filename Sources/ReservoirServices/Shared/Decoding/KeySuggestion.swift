/// The known key a mistyped one most likely meant: the same key in another case, one a few edits away
/// (`replica` → `replicas`, `gpu` → `gpus`, `modle` → `model`), or else a key it starts (`memory` → `memoryMiB`)
/// or abbreviates (`cnt` → `count`).
enum KeySuggestion {
    static func closest(to key: String, among candidates: [String]) -> String? {
        let typed = Array(key.lowercased().unicodeScalars)
        guard !typed.isEmpty, typed.count <= 64 else { return nil }
        let lowered = candidates.map { Array($0.lowercased().unicodeScalars) }
        if let i = lowered.firstIndex(of: typed) { return candidates[i] }
        let allowed = min(3, max(1, typed.count / 3))
        let scored = lowered.indices.map { (i: $0, d: distance(typed, lowered[$0])) }.filter { $0.d <= allowed }
        if let best = scored.min(by: { $0.d < $1.d }) { return candidates[best.i] }
        guard typed.count >= 3 else { return nil }
        if let i = lowered.firstIndex(where: { $0.starts(with: typed) }) { return candidates[i] }
        if let i = lowered.firstIndex(where: { $0.first == typed.first && isSubsequence(typed, of: $0) }) { return candidates[i] }
        return nil
    }

    /// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var d = (0...a.count).map { i in (0...b.count).map { j in i == 0 ? j : (j == 0 ? i : 0) } }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    private static func isSubsequence(_ short: [Unicode.Scalar], of long: [Unicode.Scalar]) -> Bool {
        var rest = short[...]
        for c in long where c == rest.first { rest.removeFirst() }
        return rest.isEmpty
    }
}
