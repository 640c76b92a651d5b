/// Which page of a list to answer: at most `limit` items, after `cursor` (from the start when nil).
public struct PageRequest: Hashable, Sendable {
    /// The largest page a client may ask for; a deeper walk follows the `next` cursors.
    public static let maximumLimit = Bounds.pageSize.upperBound
    /// The page size when a client names none.
    public static let defaultLimit = 100

    public var limit: Int
    public var cursor: Cursor?

    public init(limit: Int = PageRequest.defaultLimit, cursor: Cursor? = nil) {
        self.limit = limit
        self.cursor = cursor
    }

    /// A page request from query parameters: `limit` must be 1…1000 (`defaultLimit` when absent) and
    /// `cursor` a cursor this list returned; otherwise an `invalid_argument` naming the parameter.
    public init(limitParameter: Int?, cursorParameter cursor: String?, defaultLimit: Int = PageRequest.defaultLimit) throws(ReservoirError) {
        let limit = limitParameter ?? defaultLimit
        guard Bounds.pageSize.contains(limit) else {
            throw ReservoirError.invalid("limit", "must be between 1 and \(Self.maximumLimit) (got \(limit)); follow the `next` link for more")
        }
        self.init(limit: limit, cursor: try cursor.map { text throws(ReservoirError) in try Cursor(parsing: text) })
    }

    /// The rows a store asks for: one more than the page, so the extra row says that more exist.
    public var fetchLimit: Int { limit + 1 }
}
