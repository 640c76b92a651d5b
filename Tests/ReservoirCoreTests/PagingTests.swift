import ReservoirCore
import Testing

@Suite("Paging")
struct PagingTests {
    @Test("a cursor reads back as the key it was made of, in URL-safe text")
    func cursorRoundTrips() throws {
        for key in [["42"], ["alpha", "p1", "A100-80GB"], ["1700000000.25", "tok-1"], ["é/ü ?&="]] {
            let text = Cursor(key: key).description
            #expect(text.allSatisfy { $0.isHexDigit && !$0.isUppercase }, "\(text)")
            #expect(try Cursor(parsing: text).key == key)
        }
    }

    @Test("a cursor that was not issued is refused, naming `cursor`", arguments: ["", "xyz", "abc", "4G", "ff", String(repeating: "ab", count: 2000)])
    func badCursorsAreRefused(text: String) {
        #expect(refusedField { _ = try Cursor(parsing: text) } == "cursor")
    }

    @Test("a cursor of another list (too few or non-numeric components) is refused, naming `cursor`")
    func cursorOfAnotherList() throws {
        let cursor = Cursor(key: ["alpha"])
        #expect(refusedField { _ = try cursor.integer(0) } == "cursor")
        #expect(refusedField { _ = try cursor.text(1) } == "cursor")
        #expect(refusedField { _ = try Cursor(key: ["inf"]).number(0) } == "cursor")
        #expect(try Cursor(key: ["7"]).integer(0) == 7)
    }

    @Test("a limit must be 1…1000; absent, the list's default", arguments: [0, -1, 1001])
    func limitsOutOfRangeAreRefused(limit: Int) {
        #expect(refusedField { _ = try PageRequest(limitParameter: limit, cursorParameter: nil) } == "limit")
    }

    @Test func limitDefaults() throws {
        #expect(try PageRequest(limitParameter: nil, cursorParameter: nil).limit == PageRequest.defaultLimit)
        #expect(try PageRequest(limitParameter: nil, cursorParameter: nil, defaultLimit: 500).limit == 500)
        #expect(try PageRequest(limitParameter: 1000, cursorParameter: nil).limit == 1000)
    }

    @Test("walking an in-memory list by pages returns every item once, in order; the last page has no next")
    func walkingAShortList() throws {
        let all = (0..<23).map { "item-\(String($0 + 100))" }
        var seen: [String] = []
        var request = PageRequest(limit: 5)
        var pages = 0
        while true {
            let page = Page(sorted: all, by: { [$0] }, for: request)
            seen += page.items
            pages += 1
            guard let next = page.next else { break }
            request.cursor = try Cursor(parsing: next.description)
        }
        #expect(seen == all)
        #expect(pages == 5)
        // Exactly a full last page: no empty page after it.
        #expect(Page(sorted: Array(all.prefix(5)), by: { [$0] }, for: PageRequest(limit: 5)).next == nil)
    }

    @Test("a list in an order of its own pages by position after the named item; an unknown name is refused")
    func walkingAnOrderedList() throws {
        let all = ["H100", "A100", "T4", "L4", "MI300X"]
        let first = try Page(listed: all, id: { $0 }, for: PageRequest(limit: 2))
        let second = try Page(listed: all, id: { $0 }, for: PageRequest(limit: 2, cursor: first.next))
        let third = try Page(listed: all, id: { $0 }, for: PageRequest(limit: 2, cursor: second.next))
        #expect(first.items + second.items + third.items == all && third.next == nil)
        #expect(refusedField { _ = try Page(listed: all, id: { $0 }, for: PageRequest(limit: 2, cursor: Cursor(key: ["V100"]))) } == "cursor")
    }

    @Test("an item removed between pages neither repeats nor skips the others")
    func removalBetweenPages() {
        var all = ["a", "b", "c", "d", "e"]
        let first = Page(sorted: all, by: { [$0] }, for: PageRequest(limit: 2))
        all.removeAll { $0 == "b" }
        let second = Page(sorted: all, by: { [$0] }, for: PageRequest(limit: 2, cursor: first.next))
        #expect(first.items == ["a", "b"] && second.items == ["c", "d"])
    }
}

/// The field a refusal names; nil when `body` succeeds or fails otherwise.
private func refusedField(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return (error as? ReservoirError)?.field
    }
}
