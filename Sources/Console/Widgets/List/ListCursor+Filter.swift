extension ListCursor {
    /// The items a `/` filter keeps — all of them, in order, when it is empty; else those `FuzzyMatch`
    /// finds in `text`, best first — with the cursor moved over them: onto the best match while
    /// filtering, else back onto the item that was selected in `shown` (the list before), by `id`. The
    /// lists with a filter line (stores, the store picker, product types) share it.
    mutating func filter<Item, ID: Equatable>(_ items: [Item], by filter: String, shown: [Item],
                                              text: (Item) -> String, id: (Item) -> ID) -> [Item] {
        let selectedID = shown.indices.contains(selected) ? id(shown[selected]) : nil
        let kept = filter.isEmpty ? items : FuzzyMatch.rank(filter, items, by: text).map(\.0)
        let index = filter.isEmpty ? selectedID.flatMap { wanted in kept.firstIndex { id($0) == wanted } } : 0
        setCount(kept.count, selecting: index)
        return kept
    }
}
