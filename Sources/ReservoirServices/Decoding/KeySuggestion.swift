/// The known key a mistyped one most likely meant: the same key in another case, one a few edits away
/// (`replica` → `replicas`, `gpu` → `gpus`), or else a key it is the start of (`memory` → `memoryMiB`).
enum KeySuggestion {
    static func closest(to key: String, among candidates: [String]) -> String? {
        let typed = Array(key.lowercased().unicodeScalars)
        guard !typed.isEmpty, typed.count <= 64 else { return nil }
        let lowered = candidates.map { Array($0.lowercased().unicodeScalars) }
        if let i = lowered.firstIndex(of: typed) { return candidates[i] }
        let allowed = min(3, max(1, typed.count / 3))
        let scored = lowered.indices.map { (i: $0, d: distance(typed, lowered[$0])) }.filter { $0.d <= allowed }
        if let best = scored.min(by: { $0.d < $1.d }) { return candidates[best.i] }
        if typed.count >= 3, let i = lowered.firstIndex(where: { $0.starts(with: typed) }) { return candidates[i] }
        return nil
    }

    /// Levenshtein distance.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
