@testable import Console

/// An in-memory keyset data source: `count` rows with ids `r00000`…, sorted by id (column 0) either way.
/// A cursor is the id of the row at a page's edge.
struct FakeTableSource {
    let all: [TableRow]

    init(count: Int) {
        all = (0..<count).map { number in
            let digits = String(number)
            let id = "r" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
            return TableRow(id: id, cells: [id, "Customer \(number)", "\(number * 7 % 1000)"])
        }
    }

    func ordered(_ sort: TableSort?) -> [TableRow] {
        sort?.ascending == false ? all.reversed() : all
    }

    func answer(_ request: TablePageRequest) -> TablePage {
        let rows = ordered(request.sort)
        func index(of cursor: String) -> Int { rows.firstIndex(where: { $0.id == cursor })! }
        let range: Range<Int>
        switch request {
        case .first(let limit, _):
            range = 0..<min(limit, rows.count)
        case .last(let limit, _):
            range = max(0, rows.count - limit)..<rows.count
        case .after(let cursor, let limit, _):
            let start = index(of: cursor) + 1
            range = start..<min(rows.count, start + limit)
        case .before(let cursor, let limit, _):
            let end = index(of: cursor)
            range = max(0, end - limit)..<end
        case .from(let cursor, let limit, _):
            let start = index(of: cursor)
            range = start..<min(rows.count, start + limit)
        }
        let slice = Array(rows[range])
        return TablePage(
            rows: slice,
            nextCursor: range.upperBound < rows.count ? slice.last?.id : nil,
            previousCursor: range.lowerBound > 0 ? slice.first?.id : nil)
    }
}

/// Drives a table with keys, answering its requests from a source at once.
struct TableDriver {
    var table: TableView
    let source: FakeTableSource

    init(table: TableView, source: FakeTableSource) {
        self.table = table
        self.source = source
        if let request = self.table.reload() { serve(request) }
    }

    mutating func serve(_ request: TablePageRequest) {
        var next: TablePageRequest? = request
        while let request = next { next = table.receive(source.answer(request), for: request) }
    }

    @discardableResult
    mutating func press(_ key: Key) -> TableAction? {
        let action = table.handle(key)
        if case .request(let request) = action { serve(request) }
        return action
    }
}

let sampleColumns = [
    TableColumn("ID", width: .fixed(6)),
    TableColumn("Name", width: .flex(weight: 1, min: 8)),
    TableColumn("Score", width: .fit(max: 8), alignment: .right),
]
