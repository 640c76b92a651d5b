/// One page of a list, in the list's stable order, and the cursor of the next page when more exist.
public struct Page<Item> {
    public var items: [Item]
    /// Where the next page starts; nil on the last page.
    public var next: Cursor?

    public init(items: [Item], next: Cursor?) {
        self.items = items
        self.next = next
    }

    /// The page out of rows fetched with `request.fetchLimit` (each with its sort key): the extra row,
    /// if any, is dropped and means the page's last key is where the next page starts.
    public init(fetched rows: [(key: [String], item: Item)], for request: PageRequest) {
        let kept = rows.prefix(request.limit)
        items = kept.map(\.item)
        next = rows.count > request.limit ? kept.last.map { Cursor(key: $0.key) } : nil
    }

    /// A page cut from a short list held whole in memory (regions, the catalog, computed views), sorted
    /// ascending by `key`: items after the cursor's key, so a removed item never shifts the next page.
    public init(sorted all: [Item], by key: (Item) -> [String], for request: PageRequest) {
        var rows: [(key: [String], item: Item)] = []
        for item in all where rows.count < request.fetchLimit {
            let itemKey = key(item)
            if let after = request.cursor?.key, !after.lexicographicallyPrecedes(itemKey) { continue }
            rows.append((itemKey, item))
        }
        self.init(fetched: rows, for: request)
    }

    /// A page cut from a short list held whole in memory in an order of its own that never moves an item
    /// (the catalog: models are replaced in place or appended): items after the one the cursor names.
    /// A cursor naming no item of the list is refused, naming `cursor`.
    public init(listed all: [Item], id: (Item) -> String, for request: PageRequest) throws(ReservoirError) {
        var start = all.startIndex
        if let cursor = request.cursor {
            let last = try cursor.text(0)
            guard let index = all.firstIndex(where: { id($0) == last }) else { throw Cursor.bad }
            start = all.index(after: index)
        }
        self.init(fetched: all[start...].prefix(request.fetchLimit).map { ([id($0)], $0) }, for: request)
    }

    public func map<T, E: Error>(_ transform: (Item) throws(E) -> T) throws(E) -> Page<T> {
        var out: [T] = []
        out.reserveCapacity(items.count)
        for item in items { out.append(try transform(item)) }
        return Page<T>(items: out, next: next)
    }
}

extension Page: Sendable where Item: Sendable {}
extension Page: Equatable where Item: Equatable {}

extension Page {
    /// Every item of a paged read, page after page at the largest page size: for use cases that need a
    /// whole set (a month's grants, reclamations, sessions) from a port that only serves pages.
    public static func all(_ read: (PageRequest) throws -> Page<Item>) rethrows -> [Item] {
        var items: [Item] = []
        var request = PageRequest(limit: PageRequest.maximumLimit)
        while true {
            let page = try read(request)
            items += page.items
            guard let next = page.next else { return items }
            request.cursor = next
        }
    }
}
