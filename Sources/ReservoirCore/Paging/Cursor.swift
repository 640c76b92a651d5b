/// Where a list resumes: the sort key of the last item a page returned, as an opaque, URL-safe string.
///
/// Lists page by key (keyset), not by offset, so a page is found through an index whatever its depth,
/// and items added or removed meanwhile never make a later page repeat or skip one. The text is the
/// key's components in lowercase hex, so it needs no escaping in a query string; clients only echo it.
public struct Cursor: Hashable, Sendable, CustomStringConvertible {
    /// The last returned item's sort key, component by component (e.g. `["42"]`, or tenant, pool, model).
    public let key: [String]

    public init(key: [String]) { self.key = key }

    /// Reads a cursor that a list returned; anything else is an `invalid_argument` naming `cursor`.
    public init(parsing text: String) throws(ReservoirError) {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count.isMultiple(of: 2), digits.count <= Self.maximumLength else { throw Self.bad }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = Self.nibble(digits[i]), let low = Self.nibble(digits[i + 1]) else { throw Self.bad }
            bytes.append(high << 4 | low)
            i += 2
        }
        guard let joined = String(validating: bytes, as: UTF8.self) else { throw Self.bad }
        key = joined.split(separator: Self.separator, omittingEmptySubsequences: false).map(String.init)
    }

    /// The text to send back as the `cursor` query parameter.
    public var description: String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in key.joined(separator: String(Self.separator)).utf8 {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Component `index` as the text it was; a cursor of another list (too few components) is refused.
    public func text(_ index: Int) throws(ReservoirError) -> String {
        guard key.indices.contains(index) else { throw Self.bad }
        return key[index]
    }

    /// Component `index` as an integer (row ids, sequence numbers).
    public func integer(_ index: Int) throws(ReservoirError) -> Int64 {
        guard let value = Int64(try text(index)) else { throw Self.bad }
        return value
    }

    /// Component `index` as a number (times in Unix seconds; `Double.description` round-trips exactly).
    public func number(_ index: Int) throws(ReservoirError) -> Double {
        guard let value = Double(try text(index)), value.isFinite else { throw Self.bad }
        return value
    }

    /// Unit separator: never in an id, a name or a number.
    static let separator: Character = "\u{1F}"
    /// Keys are a few ids long; a longer text was not issued here.
    static let maximumLength = 2048
    static let bad = ReservoirError.invalid("cursor", "not a cursor this list returned; start again without `cursor` and follow the `next` link")

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
