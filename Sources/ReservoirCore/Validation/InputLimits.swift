/// The limits every value from outside (API bodies, config files, query parameters) is held to, in one
/// place so new fields reuse them. Sizes are in UTF-8 bytes, never characters: a name of one letter and
/// 300,000 combining marks is one character but 600 KB. See docs/CONFIG.md, "Identifiers and limits".
public enum InputLimits {
    /// Ids of tenants, users, regions, clusters, pools and nodes: `^[a-z0-9][a-z0-9._-]{0,62}$`.
    /// ASCII only, so no homoglyph (`аdmin` with a Cyrillic а), direction override or NUL can pass,
    /// and lowercase, so engines that fold case (Slurm accounts) never see two tenants as one.
    public static let identifierBytes = 63
    /// Catalog model names (`A100-80GB`) and label or taint keys: ASCII letters of either case, digits, `._-/`.
    public static let symbolBytes = 128
    /// Display names: job names, tenant names.
    public static let nameBytes = 200
    /// Label, selector, taint and toleration values.
    public static let valueBytes = 256
    /// Other free text: paths, URLs, aliases.
    public static let textBytes = 4096
    /// An `Idempotency-Key` header: visible ASCII.
    public static let idempotencyKeyBytes = 255
    /// Entries in one map (labels, nodeSelector) or one list (models, tolerations, taints, aliases).
    public static let entries = 64
    /// Nodes one cluster description may expand to (the sum of every `count`).
    public static let nodes = 50_000
    /// Regions, clusters or pools in one cluster description; node entries in one pool.
    public static let descriptionEntries = 10_000
    /// Device samples in one telemetry report (a minute of 10,000 GPUs).
    public static let telemetrySamples = 10_000

    /// Checks an id against the identifier rule.
    public static func identifier(_ value: String, field: String) throws(ReservoirError) {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= identifierBytes else {
            throw .invalid(field, "must be 1–\(identifierBytes) characters")
        }
        guard bytes.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }),
              let first = bytes.first, isLowerAlnum(first)
        else {
            throw .invalid(field, "may contain only lowercase ASCII letters, digits, '-', '_' and '.', starting with a letter or digit")
        }
    }

    /// Checks a symbol: a catalog model name, or a label, selector, taint or toleration key.
    public static func symbol(_ value: String, field: String) throws(ReservoirError) {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= symbolBytes else { throw .invalid(field, "must be 1–\(symbolBytes) characters") }
        guard bytes.allSatisfy({ isLowerAlnum($0) || (0x41...0x5A).contains($0) || "-_./".utf8.contains($0) }) else {
            throw .invalid(field, "may contain only ASCII letters, digits, '-', '_', '.' and '/'")
        }
    }

    /// Checks free text: at most `maxBytes` UTF-8 bytes, no control characters (newlines only where
    /// `multiline`) and no bidirectional overrides, which make a table show something other than what is stored.
    public static func text(_ value: String, field: String, maxBytes: Int = textBytes, multiline: Bool = false) throws(ReservoirError) {
        guard value.utf8.count <= maxBytes else { throw .invalid(field, "is longer than \(maxBytes) bytes (UTF-8)") }
        for scalar in value.unicodeScalars where !(multiline && (scalar == "\n" || scalar == "\t" || scalar == "\r")) {
            if scalar.properties.generalCategory == .control || bidiControls.contains(scalar.value) {
                throw .invalid(field, "contains a control or text-direction character (U+\(hex(scalar.value)))")
            }
        }
    }

    /// Checks a display name: present, at most `nameBytes`, free-text rules.
    public static func name(_ value: String, field: String) throws(ReservoirError) {
        guard !value.isEmpty else { throw .invalid(field, "must not be empty") }
        try text(value, field: field, maxBytes: nameBytes)
    }

    /// Checks a collection's size.
    public static func count(_ count: Int, field: String, max: Int = entries) throws(ReservoirError) {
        guard count <= max else { throw .invalid(field, "has \(count) entries; at most \(max) are allowed") }
    }

    /// Checks labels or a node selector: at most `entries` pairs, symbol keys, short text values.
    public static func labels(_ labels: [String: String], field: String) throws(ReservoirError) {
        try count(labels.count, field: field)
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            do { try symbol(key, field: field) } catch { throw .invalid(field, "a key \(error.message)") }
            try text(value, field: "\(field).\(key)", maxBytes: valueBytes)
        }
    }

    /// Checks taints or tolerations (key and value pairs).
    public static func keyValues(_ pairs: [(key: String, value: String)], field: String) throws(ReservoirError) {
        try count(pairs.count, field: field)
        for (i, pair) in pairs.enumerated() {
            try symbol(pair.key, field: "\(field)[\(i)].key")
            try text(pair.value, field: "\(field)[\(i)].value", maxBytes: valueBytes)
        }
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }

    /// ALM, LRM, RLM, the embeddings and overrides (U+202A–202E) and the isolates (U+2066–2069).
    private static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    private static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
